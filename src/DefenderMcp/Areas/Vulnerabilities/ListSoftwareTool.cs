using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary><c>list_software</c>: the software inventory of the tenant or of one device, with weaknesses and exposure.</summary>
public sealed class ListSoftwareTool(ToolServices services) : DefenderTool(Spec, services)
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
        InputSchema = Schema.Object(
            [],
            ("device", VulnerabilityArguments.DeviceSchema("Only this device's software: device id (40 hex characters) or computer DNS name.")),
            ("limit", VulnerabilityArguments.LimitSchema("products")),
            ("tenant", Schema.Tenant(allowFanOut: true))),
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var device = VulnerabilityArguments.Device(call.Arguments);
        var limit = VulnerabilityArguments.Limit(call.Arguments);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                Machine? machine = device is null ? null : await DeviceArguments.ResolveAsync(call, client, ct).ConfigureAwait(false);
                var software = machine is null
                    ? await client.ListSoftwareAsync(VulnerabilityArguments.MaxScanned, ct).ConfigureAwait(false)
                    : await client.ListMachineSoftwareAsync(machine.Id, VulnerabilityArguments.MaxScanned, ct).ConfigureAwait(false);
                var ordered = software.OrderByDescending(s => s.ExposedMachines ?? 0).ThenByDescending(s => s.Weaknesses ?? 0).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
                var shown = ordered.Take(limit).Select(SoftwareOutput.From).ToList();
                call.Count("items", shown.Count);
                return ToJson(new SoftwareListOutput(tenant.Key, machine?.Id, Text.Clip(machine?.ComputerDnsName, 255), shown.Count, shown, ordered.Count > limit));
            },
            cancellationToken);
    }
}
