using System.Text.Json;
using System.Text.RegularExpressions;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>
/// Defender Vulnerability Management (defender-api.md §3.13) and Microsoft Secure Score (Graph): vulnerabilities and
/// the devices they expose, software, missing KBs, security recommendations, exposure, configuration and secure
/// scores. Each identifier (CVE, software id, machine id, severity) is checked here before any request. The org-wide
/// lists page with <c>$top</c>/<c>$skip</c> and take the documented <c>$filter</c>; the per-machine and per-CVE lists
/// document no OData, so they are read whole (one bounded body) and cut at the caller's limit.
/// </summary>
public sealed partial class DefenderClient
{
    // /api/vulnerabilities documents $top up to 8,000 (the other lists: 10,000).
    private const int MaxVulnerabilityTop = 8000;

    // One row per (product, status) of the end-of-support summary; more products than this are left without one.
    private const int MaxEndOfSupportRows = 10_000;

    /// <summary>The vulnerability severities the service filters on.</summary>
    public static IReadOnlyList<string> VulnerabilitySeverities { get; } = ["Low", "Medium", "High", "Critical"];

    /// <summary>A CVE id in canonical form (<c>CVE-YYYY-NNNN</c>, upper case), or null when it is not one.</summary>
    public static string? CanonicalCve(string? cve) =>
        cve is { Length: <= 32 } && CveId().IsMatch(cve) ? cve.ToUpperInvariant() : null;

    /// <summary>Whether <paramref name="id"/> is a software id (<c>{vendor}-_-{name}</c>, e.g. <c>microsoft-_-office</c>).</summary>
    public static bool IsSoftwareId(string? id) => id is { Length: <= 256 } && SoftwareId().IsMatch(id);

    /// <summary>Vulnerabilities in the organization, optionally one severity or one CVE, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<Vulnerability>> ListVulnerabilitiesAsync(string? severity, string? cve, int limit, CancellationToken cancellationToken)
    {
        var filter = ODataFilter.And([
            severity is null ? null : ODataFilter.Eq("severity", Severity(severity)),
            cve is null ? null : ODataFilter.Eq("id", Cve(cve)),
        ]);
        return ListMdeAsync("api/vulnerabilities", filter, AppRoles.VulnerabilityRead, limit, VulnerabilityReader.ReadVulnerability, cancellationToken, MaxVulnerabilityTop);
    }

    /// <summary>One vulnerability by CVE id.</summary>
    public async Task<Vulnerability> GetVulnerabilityAsync(string cve, CancellationToken cancellationToken) =>
        VulnerabilityReader.ReadVulnerability(await GetObjectAsync(Mde($"api/vulnerabilities/{Cve(cve)}"), DefenderApi.Mde, AppRoles.VulnerabilityRead, RateFamily.Mde("vulnerabilities"), cancellationToken).ConfigureAwait(false));

    /// <summary>The devices exposed to a CVE.</summary>
    public Task<IReadOnlyList<MachineReference>> ListVulnerabilityMachinesAsync(string cve, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/vulnerabilities/{Cve(cve)}/machineReferences"), AppRoles.VulnerabilityRead, RateFamily.Mde("vulnerabilities/machineReferences"), limit, VulnerabilityReader.ReadMachineReference, cancellationToken);

    /// <summary>The (device, product, version, fixing KB) rows of a CVE, from the machinesVulnerabilities list filtered on <c>cveId</c>.</summary>
    public Task<IReadOnlyList<MachineVulnerability>> ListCveMachineRowsAsync(string cve, int limit, CancellationToken cancellationToken) =>
        ListMdeAsync("api/vulnerabilities/machinesVulnerabilities", ODataFilter.Eq("cveId", Cve(cve)), AppRoles.VulnerabilityRead, limit, VulnerabilityReader.ReadMachineVulnerability, cancellationToken);

    /// <summary>The vulnerabilities of one device (50 calls a minute, the only vulnerability API documented below the default).</summary>
    public Task<IReadOnlyList<Vulnerability>> ListMachineVulnerabilitiesAsync(string machineId, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/machines/{Id(machineId)}/vulnerabilities"), AppRoles.VulnerabilityRead, RateFamily.MachineVulnerabilities, limit, VulnerabilityReader.ReadVulnerability, cancellationToken);

    /// <summary>The vulnerabilities of one product.</summary>
    public Task<IReadOnlyList<Vulnerability>> ListSoftwareVulnerabilitiesAsync(string softwareId, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/Software/{Software(softwareId)}/vulnerabilities"), AppRoles.VulnerabilityRead, RateFamily.Mde("Software/vulnerabilities"), limit, VulnerabilityReader.ReadVulnerability, cancellationToken);

    /// <summary>The organization's software inventory, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<SoftwareProduct>> ListSoftwareAsync(int limit, CancellationToken cancellationToken) =>
        ListMdeAsync("api/Software", null, AppRoles.SoftwareRead, limit, VulnerabilityReader.ReadSoftware, cancellationToken);

    /// <summary>The software installed on one device.</summary>
    public Task<IReadOnlyList<SoftwareProduct>> ListMachineSoftwareAsync(string machineId, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/machines/{Id(machineId)}/software"), AppRoles.SoftwareRead, RateFamily.Mde("machines/software"), limit, VulnerabilityReader.ReadSoftware, cancellationToken);

    /// <summary>
    /// End of support per product, of the tenant or of one device: the Software entity has no such field, so it is read
    /// from the DeviceTvmSoftwareInventory hunting table (advanced hunting, <c>ThreatHunting.Read.All</c>), which can be
    /// filtered to one device and summarized for the tenant in one query; the export API
    /// (<c>/api/machines/SoftwareInventoryByMachine</c>) documents no filter, so one device would cost the whole tenant's
    /// rows. Keyed by software id (<c>{vendor}-_-{name}</c>, lower case); the most pressing status per product.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, SoftwareEndOfSupport>> ListSoftwareEndOfSupportAsync(string? machineId, CancellationToken cancellationToken)
    {
        if (machineId is not null && !MachineId().IsMatch(machineId))
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The device id must be 40 hexadecimal characters.");
        }

        var device = machineId is null ? string.Empty : $"| where DeviceId == \"{machineId.ToLowerInvariant()}\" ";
        var query = $"DeviceTvmSoftwareInventory {device}| summarize EndOfSupportDate = min(EndOfSupportDate) by SoftwareVendor, SoftwareName, EndOfSupportStatus | take {MaxEndOfSupportRows}";
        var result = await RunHuntingQueryAsync(query, null, cancellationToken).ConfigureAwait(false);
        var byProduct = new Dictionary<string, SoftwareEndOfSupport>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in result.Rows)
        {
            if (VulnerabilityReader.ReadEndOfSupport(row.Span) is not { } support)
            {
                continue;
            }

            if (!byProduct.TryGetValue(support.SoftwareId, out var known) || SoftwareEndOfSupport.Rank(support.Status) < SoftwareEndOfSupport.Rank(known.Status) ||
                (SoftwareEndOfSupport.Rank(support.Status) == SoftwareEndOfSupport.Rank(known.Status) && support.Date < known.Date))
            {
                byProduct[support.SoftwareId] = support;
            }
        }

        return byProduct;
    }

    /// <summary>The security updates (KBs) one device misses.</summary>
    public Task<IReadOnlyList<MissingUpdate>> ListMissingKbsAsync(string machineId, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/machines/{Id(machineId)}/getmissingkbs"), AppRoles.SoftwareRead, RateFamily.Mde("machines/getmissingkbs"), limit, VulnerabilityReader.ReadMissingUpdate, cancellationToken);

    /// <summary>The organization's security recommendations, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<SecurityRecommendation>> ListRecommendationsAsync(int limit, CancellationToken cancellationToken) =>
        ListMdeAsync("api/recommendations", null, AppRoles.RecommendationRead, limit, VulnerabilityReader.ReadRecommendation, cancellationToken);

    /// <summary>The security recommendations of one device.</summary>
    public Task<IReadOnlyList<SecurityRecommendation>> ListMachineRecommendationsAsync(string machineId, int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde($"api/machines/{Id(machineId)}/recommendations"), AppRoles.RecommendationRead, RateFamily.Mde("machines/recommendations"), limit, VulnerabilityReader.ReadRecommendation, cancellationToken);

    /// <summary>The organization's exposure score (0–100, lower is better).</summary>
    public async Task<ScoreSnapshot> GetExposureScoreAsync(CancellationToken cancellationToken) =>
        VulnerabilityReader.ReadScore(await GetObjectAsync(Mde("api/exposureScore"), DefenderApi.Mde, AppRoles.ScoreRead, RateFamily.Mde("exposureScore"), cancellationToken).ConfigureAwait(false));

    /// <summary>The exposure score of each device group.</summary>
    public Task<IReadOnlyList<ScoreSnapshot>> ListExposureScoreByGroupAsync(int limit, CancellationToken cancellationToken) =>
        ReadListAsync(Mde("api/exposureScore/ByMachineGroups"), AppRoles.ScoreRead, RateFamily.Mde("exposureScore/ByMachineGroups"), limit, VulnerabilityReader.ReadScore, cancellationToken);

    /// <summary>The device configuration score (Microsoft Secure Score for Devices).</summary>
    public async Task<ScoreSnapshot> GetConfigurationScoreAsync(CancellationToken cancellationToken) =>
        VulnerabilityReader.ReadScore(await GetObjectAsync(Mde("api/configurationScore"), DefenderApi.Mde, AppRoles.ScoreRead, RateFamily.Mde("configurationScore"), cancellationToken).ConfigureAwait(false));

    /// <summary>The latest Microsoft Secure Score snapshot (the list is newest first), or null when the tenant has none.</summary>
    public async Task<SecureScore?> GetLatestSecureScoreAsync(CancellationToken cancellationToken)
    {
        var scores = await ListGraphAsync(Graph("v1.0/security/secureScores", ("$top", "1")), AppRoles.SecureScoreRead, 1, VulnerabilityReader.ReadSecureScore, cancellationToken).ConfigureAwait(false);
        return scores.Count == 0 ? null : scores[0];
    }

    private static string Cve(string cve) =>
        CanonicalCve(cve) ?? throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The CVE id must look like CVE-2023-36884.");

    private static string Software(string id) =>
        IsSoftwareId(id) ? Uri.EscapeDataString(id.ToLowerInvariant()) : throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The software id must be {vendor}-_-{name}, e.g. microsoft-_-office.");

    private static string Severity(string severity) =>
        VulnerabilitySeverities.FirstOrDefault(s => string.Equals(s, severity, StringComparison.OrdinalIgnoreCase))
        ?? throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The severity must be Low, Medium, High or Critical.");

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex MachineId();

    [GeneratedRegex("^CVE-[0-9]{4}-[0-9]{4,19}$", RegexOptions.IgnoreCase)]
    private static partial Regex CveId();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+]*(-[A-Za-z0-9._+]+)*-_-[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    private static partial Regex SoftwareId();
}
