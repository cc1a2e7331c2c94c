using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary><c>list_missing_updates</c>: the security updates (KBs) one device misses.</summary>
public sealed class ListMissingUpdatesTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter Device = DeviceArguments.Device.Described("Device id (40 hex characters) or computer DNS name, e.g. ctso-hr-lt-088.contoso.com.");
    private static readonly ToolParameter Limit = VulnerabilityArguments.Limit("updates");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_missing_updates",
        Title = "List missing updates",
        Description = "Lists the security updates (KBs) a device misses: the products each fixes, how many CVEs it closes and how many devices miss it.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(MissingUpdateListOutput),
        Parameters = [Device, Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        _ = call.Arguments.RequiredString(Device);
        var limit = call.Arguments.Integer(Limit);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var machine = await DeviceArguments.ResolveAsync(call, client, ct).ConfigureAwait(false);
                var updates = await client.ListMissingKbsAsync(machine.Id, limit + 1, ct).ConfigureAwait(false);
                var shown = updates.Take(limit).Select(MissingUpdateOutput.From).ToList();
                call.Count("items", shown.Count);
                return ToJson(new MissingUpdateListOutput(tenant.Key, machine.Id, Text.Clip(machine.ComputerDnsName, 255), shown.Count, shown, updates.Count > limit));
            },
            cancellationToken);
    }
}
