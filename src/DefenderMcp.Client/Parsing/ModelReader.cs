using System.Text.Json;

using static DefenderMcp.Client.Parsing.JsonMember;

namespace DefenderMcp.Client.Parsing;

/// <summary>Maps Graph and MDE JSON objects to the client's records, tolerating missing and unknown members.</summary>
public static class ModelReader
{
    /// <summary>An incident; its alerts when <c>$expand=alerts</c> was used.</summary>
    public static Incident ReadIncident(JsonElement e) => new(
        Id(e) ?? throw Malformed(),
        Str(e, "displayName"),
        Str(e, "description"),
        Str(e, "status"),
        Str(e, "severity"),
        Str(e, "classification"),
        Str(e, "determination"),
        Str(e, "assignedTo"),
        Date(e, "createdDateTime"),
        Date(e, "lastUpdateDateTime"),
        Str(e, "incidentWebUrl"),
        Strings(e, "customTags"),
        Strings(e, "systemTags"),
        e.TryGetProperty("alerts", out var alerts) && alerts.ValueKind == JsonValueKind.Array ? [.. alerts.EnumerateArray().Select(ReadAlert)] : [],
        Objects(e, "comments").Select(ReadComment).ToList());

    /// <summary>An incident or alert comment.</summary>
    public static IncidentComment ReadComment(JsonElement e) =>
        new(Str(e, "comment"), Str(e, "createdByDisplayName") ?? Str(e, "createdBy"), Date(e, "createdDateTime") ?? Date(e, "createdTime"));

    /// <summary>A machine action; <c>lastUpdateTimeUtc</c> (seen in list examples) is accepted for <c>lastUpdateDateTimeUtc</c>.</summary>
    public static MachineAction ReadMachineAction(JsonElement e) => new(
        Id(e) ?? throw Malformed(),
        Str(e, "type"),
        Str(e, "scope"),
        Str(e, "status"),
        Str(e, "machineId"),
        Str(e, "computerDnsName"),
        Str(e, "requestor"),
        Str(e, "requestorComment"),
        Str(e, "title"),
        Date(e, "creationDateTimeUtc"),
        Date(e, "lastUpdateDateTimeUtc") ?? Date(e, "lastUpdateTimeUtc"),
        Str(e, "cancellationRequestor"),
        Str(e, "cancellationComment"),
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("relatedFileInfo", out var file) ? Str(file, "fileIdentifier") : null,
        e.Clone());

    /// <summary>A custom indicator.</summary>
    public static Indicator ReadIndicator(JsonElement e) => new(
        Id(e) ?? throw Malformed(),
        Str(e, "indicatorValue"),
        Str(e, "indicatorType"),
        Str(e, "action"),
        Str(e, "title"),
        Str(e, "description"),
        Str(e, "severity"),
        Date(e, "expirationTime"),
        Date(e, "creationTimeDateTimeUtc"),
        Str(e, "createdBy"),
        Bool(e, "generateAlert"),
        e.Clone());

    /// <summary>A custom detection rule (classic schema), kept whole in <see cref="DetectionRule.Raw"/>.</summary>
    public static DetectionRule ReadDetectionRule(JsonElement e) => new(
        Id(e) ?? throw Malformed(),
        Str(e, "displayName"),
        Str(e, "status") ?? Bool(e, "isEnabled") switch { true => "enabled", false => "disabled", null => null },
        Str(Member(e, "queryCondition"), "queryText"),
        Str(Member(e, "schedule"), "frequency") ?? ClassicPeriod(Str(Member(e, "schedule"), "period")),
        Str(Member(Member(e, "detectionAction"), "alertTemplate"), "severity"),
        e.Clone());

    /// <summary>One item of an indicator import response.</summary>
    public static IndicatorImportResult ReadImportResult(JsonElement e) => new(
        Str(e, "id"),
        Str(e, "indicator"),
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("isFailed", out var failed) && failed.ValueKind == JsonValueKind.True,
        Str(e, "failureReason"));

    /// <summary>The object members of an array member (none when missing).</summary>
    public static IEnumerable<JsonElement> Objects(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object)
            : [];

    /// <summary>An alerts_v2 alert with its evidence.</summary>
    public static SecurityAlert ReadAlert(JsonElement e) => new(
        Id(e) ?? throw Malformed(),
        Str(e, "incidentId"),
        Str(e, "title"),
        Str(e, "description"),
        Str(e, "severity"),
        Str(e, "status"),
        Str(e, "classification"),
        Str(e, "determination"),
        Str(e, "category"),
        Str(e, "serviceSource"),
        Str(e, "detectionSource"),
        Str(e, "assignedTo"),
        Date(e, "createdDateTime"),
        Date(e, "lastUpdateDateTime"),
        Date(e, "firstActivityDateTime"),
        Date(e, "lastActivityDateTime"),
        Strings(e, "mitreTechniques"),
        Str(e, "alertWebUrl"),
        Str(e, "threatDisplayName"),
        Str(e, "recommendedActions"),
        e.TryGetProperty("evidence", out var evidence) && evidence.ValueKind == JsonValueKind.Array ? [.. evidence.EnumerateArray().Select(ReadEvidence)] : []);

    /// <summary>A machine.</summary>
    public static Machine ReadMachine(JsonElement e) => new(
        Id(e) ?? throw Malformed(),
        Str(e, "computerDnsName"),
        Str(e, "osPlatform"),
        Str(e, "version"),
        Str(e, "healthStatus"),
        Str(e, "riskScore"),
        Str(e, "exposureLevel"),
        Str(e, "onboardingStatus"),
        Str(e, "deviceValue"),
        Date(e, "firstSeen"),
        Date(e, "lastSeen"),
        Str(e, "lastIpAddress"),
        Str(e, "lastExternalIpAddress"),
        Str(e, "rbacGroupName"),
        Str(e, "aadDeviceId"),
        Strings(e, "machineTags"));

    private static AlertEvidence ReadEvidence(JsonElement e)
    {
        var type = Str(e, "@odata.type") ?? "#microsoft.graph.security.alertEvidence";
        var dot = type.LastIndexOf('.');
        return new AlertEvidence(dot >= 0 ? type[(dot + 1)..] : type.TrimStart('#'), Str(e, "verdict"), Str(e, "remediationStatus"), Strings(e, "roles"), e.Clone());
    }

    /// <summary>
    /// The <c>id</c> member when it can be an id: a string (or number) that a path can carry (1 to 256 characters, no
    /// <c>/ \ ? # % &amp;</c>, <c>..</c> or control characters, as the client's own path check); else null, so that the
    /// caller reports the item as malformed instead of carrying a megabyte "id" on, or later blaming the caller for it.
    /// </summary>
    public static string? Id(JsonElement e) => PathId(e, "id");

    /// <summary>The <paramref name="name"/> member when a path can carry it (see <see cref="Id"/>), else null.</summary>
    public static string? PathId(JsonElement e, string name) => Str(e, name) is { } id && DefenderClient.IsPathId(id) ? id : null;

    /// <summary>The longest id the client puts in a path (<see cref="DefenderClient"/>'s own check).</summary>
    public const int MaxIdLength = 256;

    /// <summary>A string member, or null.</summary>
    public static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    // A classic rule's period (0, 1H, 3H, 12H, 24H) as the ISO 8601 frequency that replaced it.
    private static string? ClassicPeriod(string? period) => period switch
    {
        null => null,
        "0" => "PT0S",
        "24H" => "P1D",
        _ => "PT" + period,
    };

    private static JsonElement Member(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    private static DefenderApiException Malformed() => new(DefenderErrorCode.UpstreamError, "The Defender service returned an object without an id.");
}
