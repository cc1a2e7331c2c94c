using System.Text.Json;

using static DefenderMcp.Client.Parsing.JsonMember;

namespace DefenderMcp.Client.Parsing;

/// <summary>Maps the MDE entity pivots' JSON (files, stats, logon users, MDE alerts), tolerating missing members.</summary>
public static class EntityReader
{
    /// <summary>A file entity.</summary>
    public static DefenderFile ReadFile(JsonElement e) => new(
        ModelReader.Str(e, "sha1"),
        ModelReader.Str(e, "sha256"),
        Long(e, "globalPrevalence"),
        Date(e, "globalFirstObserved"),
        Date(e, "globalLastObserved"),
        Long(e, "size"),
        ModelReader.Str(e, "fileType"),
        Bool(e, "isPeFile"),
        ModelReader.Str(e, "filePublisher"),
        ModelReader.Str(e, "fileProductName"),
        ModelReader.Str(e, "signer"),
        ModelReader.Str(e, "issuer"),
        Bool(e, "isValidCertificate"),
        ModelReader.Str(e, "determinationType"),
        ModelReader.Str(e, "determinationValue"));

    /// <summary>File, IP or domain statistics; <c>globallyPrevalence</c> is the documented spelling.</summary>
    public static EntityStats ReadStats(JsonElement e) => new(
        Long(e, "organizationPrevalence"),
        Date(e, "orgFirstSeen"),
        Date(e, "orgLastSeen"),
        Long(e, "globallyPrevalence") ?? Long(e, "globalPrevalence"),
        Strings(e, "topFileNames", 20));

    /// <summary>A logon user.</summary>
    public static LogonUser ReadLogonUser(JsonElement e) => new(
        ModelReader.Str(e, "id"),
        ModelReader.Str(e, "accountName"),
        ModelReader.Str(e, "accountDomain"),
        Date(e, "firstSeen"),
        Date(e, "lastSeen"),
        ModelReader.Str(e, "logonTypes"),
        Bool(e, "isDomainAdmin"),
        Bool(e, "isOnlyNetworkUser"));

    /// <summary>An MDE alert.</summary>
    public static MdeAlert ReadAlert(JsonElement e) => new(
        ModelReader.Id(e) ?? throw new DefenderApiException(DefenderErrorCode.UpstreamError, "The Defender service returned an alert without an id."),
        ModelReader.PathId(e, "incidentId"),
        ModelReader.Str(e, "title"),
        ModelReader.Str(e, "severity"),
        ModelReader.Str(e, "status"),
        ModelReader.Str(e, "category"),
        ModelReader.Str(e, "threatName"),
        ModelReader.Str(e, "detectionSource"),
        Date(e, "alertCreationTime"),
        ModelReader.PathId(e, "machineId"),
        ModelReader.Str(e, "computerDnsName"),
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("relatedUser", out var user) && ModelReader.Str(user, "userName") is { } name
            ? ModelReader.Str(user, "domainName") is { Length: > 0 } domain ? $"{domain}\\{name}" : name
            : null,
        Strings(e, "mitreTechniques", 30));
}
