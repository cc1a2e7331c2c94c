using DefenderMcp.Client.Http;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client;

/// <summary>Machines (Defender for Endpoint devices): list and get.</summary>
public sealed partial class DefenderClient
{
    private const string MachineRead = AppRoles.MachineRead;

    /// <summary>Lists machines matching structured filters, up to <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<Machine>> ListMachinesAsync(MachineFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var clauses = ODataFilter.And([
            filter.NamePrefix is null ? null : $"startswith(computerDnsName,{ODataFilter.Quote(ODataFilter.Text(filter.NamePrefix))})",
            filter.HealthStatus is null ? null : ODataFilter.EqToken("healthStatus", FilterValues.Wire(filter.HealthStatus, FilterValues.HealthStatuses, "healthStatus")!),
            filter.RiskScore is null ? null : ODataFilter.EqToken("riskScore", FilterValues.Wire(filter.RiskScore, FilterValues.RiskScores, "riskScore")!),
            filter.ExposureLevel is null ? null : ODataFilter.EqToken("exposureLevel", FilterValues.Wire(filter.ExposureLevel, FilterValues.ExposureLevels, "exposureLevel")!),
            filter.OsPlatform is null ? null : ODataFilter.EqToken("osPlatform", filter.OsPlatform),
            filter.Tag is null ? null : $"machineTags/any(tag: tag eq {ODataFilter.Quote(ODataFilter.Text(filter.Tag))})",
            filter.LastSeenAfter is { } seen ? $"lastSeen gt {ODataFilter.DateTime(seen)}" : null,
        ]);
        return ListMdeAsync("api/machines", clauses, MachineRead, limit, ModelReader.ReadMachine, cancellationToken);
    }

    /// <summary>
    /// The machines whose computer DNS name begins with the host name <paramref name="hostName"/> (its first label,
    /// compared without case), up to <paramref name="limit"/>: what a short name like <c>ws-fin-07</c> can mean, since
    /// <c>GET /api/machines/{id}</c> takes only the id or the full DNS name (defender-api §3.4).
    /// </summary>
    public async Task<IReadOnlyList<Machine>> FindMachinesByHostNameAsync(string hostName, int limit, CancellationToken cancellationToken)
    {
        if (!IsHostName(hostName))
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, "A host name is letters, digits, '-' and '_' (no dots), at most 63 characters.");
        }

        // startswith(computerDnsName,'host.') is documented (§3.4); the prefix also matches "host.x" only, never "host2".
        var found = await ListMachinesAsync(new MachineFilter { NamePrefix = hostName + "." }, limit, cancellationToken).ConfigureAwait(false);
        return [.. found.Where(m => m.ComputerDnsName is { } name && string.Equals(name.Split('.')[0], hostName, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>Whether <paramref name="value"/> is a bare host name (one DNS label, no dots) rather than an id or a full name.</summary>
    public static bool IsHostName(string? value) =>
        value is { Length: > 0 and <= 63 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && !(value.Length == 40 && value.All(char.IsAsciiHexDigit));

    /// <summary>Gets a machine by its id or computer DNS name.</summary>
    public async Task<Machine> GetMachineAsync(string machineIdOrName, CancellationToken cancellationToken) =>
        ModelReader.ReadMachine(await GetObjectAsync(Mde($"api/machines/{Id(machineIdOrName)}"), DefenderApi.Mde, MachineRead, RateFamily.Mde("machines"), cancellationToken).ConfigureAwait(false));
}
