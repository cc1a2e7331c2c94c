using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>
/// <c>list_software</c>: the software inventory of the tenant or of one device, with weaknesses, exposure and end of
/// support. The Software entity has no end-of-support field, so that comes from one advanced hunting query over
/// DeviceTvmSoftwareInventory; when hunting is refused or fails, the software is still listed and the result says why
/// end of support is missing.
/// </summary>
public sealed class ListSoftwareTool(ToolServices services) : DeviceOrTenantListTool<SoftwareRow, SoftwareOutput>(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_software",
        Title = "List software",
        Description = "Lists the software inventory of the tenant or of one device: vendor, product, known weaknesses (CVEs), exposed devices, public exploits, active alerts and end of support " +
            "(status and date); most exposed first. Then list_vulnerabilities with software for its CVEs.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(SoftwareListOutput),
        Parameters = ParametersFor("software", "products"),
    };

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<SoftwareRow>> ListAsync(DefenderClient client, Machine? machine, CancellationToken cancellationToken)
    {
        var products = machine is null
            ? await client.ListSoftwareAsync(VulnerabilityArguments.MaxScanned, cancellationToken).ConfigureAwait(false)
            : await client.ListMachineSoftwareAsync(machine.Id, VulnerabilityArguments.MaxScanned, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, SoftwareEndOfSupport> support;
        string? unavailable = null;
        try
        {
            support = products.Count == 0 ? new Dictionary<string, SoftwareEndOfSupport>() : await client.ListSoftwareEndOfSupportAsync(machine?.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex)
        {
            support = new Dictionary<string, SoftwareEndOfSupport>();
            unavailable = Unavailable(ex);
        }

        return [.. products.Select(p => new SoftwareRow(p, support.GetValueOrDefault(p.Id), unavailable))];
    }

    /// <inheritdoc />
    protected override IOrderedEnumerable<SoftwareRow> Order(IEnumerable<SoftwareRow> items) =>
        items.OrderByDescending(s => s.Product.ExposedMachines ?? 0).ThenByDescending(s => s.Product.Weaknesses ?? 0).ThenBy(s => s.Product.Id, StringComparer.Ordinal);

    /// <inheritdoc />
    protected override SoftwareOutput Show(SoftwareRow item) => SoftwareOutput.From(item);

    /// <inheritdoc />
    protected override object Result(string tenant, string? deviceId, string? deviceName, IReadOnlyList<SoftwareRow> listed, IReadOnlyList<SoftwareOutput> shown, bool truncated) =>
        new SoftwareListOutput(tenant, deviceId, deviceName, shown.Count, shown, truncated, listed.Select(r => r.EndOfSupportUnavailable).FirstOrDefault(u => u is not null));

    private static string Unavailable(DefenderApiException ex) => ex.Code switch
    {
        DefenderErrorCode.PermissionDenied or DefenderErrorCode.AuthFailure => "Advanced hunting was refused: end of support is read from DeviceTvmSoftwareInventory, which needs ThreatHunting.Read.All.",
        DefenderErrorCode.RateLimited => "Advanced hunting is throttled; end of support could not be read now. Try again later.",
        _ => $"Advanced hunting failed ({ex.CodeName}); end of support could not be read.",
    };
}
