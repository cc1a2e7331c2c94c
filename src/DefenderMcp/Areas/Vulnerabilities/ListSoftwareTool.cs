using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary><c>list_software</c>: the software inventory of the tenant or of one device, with weaknesses and exposure.</summary>
public sealed class ListSoftwareTool(ToolServices services) : DeviceOrTenantListTool<SoftwareProduct, SoftwareOutput>(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_software",
        Title = "List software",
        Description = "Lists the software inventory of the tenant or of one device: vendor, product, known weaknesses (CVEs), exposed devices, public exploits and active alerts; most exposed first. " +
            "Then list_vulnerabilities with software for its CVEs.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(SoftwareListOutput),
        Parameters = ParametersFor("software", "products"),
    };

    /// <inheritdoc />
    protected override Task<IReadOnlyList<SoftwareProduct>> ListAsync(DefenderClient client, Machine? machine, CancellationToken cancellationToken) =>
        machine is null
            ? client.ListSoftwareAsync(VulnerabilityArguments.MaxScanned, cancellationToken)
            : client.ListMachineSoftwareAsync(machine.Id, VulnerabilityArguments.MaxScanned, cancellationToken);

    /// <inheritdoc />
    protected override IOrderedEnumerable<SoftwareProduct> Order(IEnumerable<SoftwareProduct> items) =>
        items.OrderByDescending(s => s.ExposedMachines ?? 0).ThenByDescending(s => s.Weaknesses ?? 0).ThenBy(s => s.Id, StringComparer.Ordinal);

    /// <inheritdoc />
    protected override SoftwareOutput Show(SoftwareProduct item) => SoftwareOutput.From(item);

    /// <inheritdoc />
    protected override object Result(string tenant, string? deviceId, string? deviceName, IReadOnlyList<SoftwareOutput> shown, bool truncated) =>
        new SoftwareListOutput(tenant, deviceId, deviceName, shown.Count, shown, truncated);
}
