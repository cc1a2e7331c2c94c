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
        var clauses = ODataFilter.And([
            filter.NamePrefix is null ? null : $"startswith(computerDnsName,{ODataFilter.Quote(ODataFilter.Text(filter.NamePrefix))})",
            filter.HealthStatus is null ? null : ODataFilter.EqToken("healthStatus", filter.HealthStatus),
            filter.RiskScore is null ? null : ODataFilter.EqToken("riskScore", filter.RiskScore),
            filter.ExposureLevel is null ? null : ODataFilter.EqToken("exposureLevel", filter.ExposureLevel),
            filter.OsPlatform is null ? null : ODataFilter.EqToken("osPlatform", filter.OsPlatform),
            filter.Tag is null ? null : $"machineTags/any(tag: tag eq {ODataFilter.Quote(ODataFilter.Text(filter.Tag))})",
            filter.LastSeenAfter is { } seen ? $"lastSeen gt {ODataFilter.DateTime(seen)}" : null,
        ]);
        return ListMdeAsync("api/machines", clauses, MachineRead, limit, ModelReader.ReadMachine, cancellationToken);
    }

    /// <summary>Gets a machine by its id or computer DNS name.</summary>
    public async Task<Machine> GetMachineAsync(string machineIdOrName, CancellationToken cancellationToken) =>
        ModelReader.ReadMachine(await GetObjectAsync(Mde($"api/machines/{Id(machineIdOrName)}"), DefenderApi.Mde, MachineRead, RateFamily.Mde("machines"), cancellationToken).ConfigureAwait(false));
}
