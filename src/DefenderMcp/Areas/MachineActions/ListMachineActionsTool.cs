using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.MachineActions;

/// <summary><c>list_machine_actions</c>: recent response actions, by device, status and type.</summary>
public sealed class ListMachineActionsTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter Status = ToolParameter.Enum("status", "Only actions in this status.", MachineActionKind.Statuses);
    private static readonly ToolParameter Type = ToolParameter.Enum("type", "Only actions of this type.", MachineActionKind.Types);

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_machine_actions",
        Title = "List machine actions",
        Description = "Lists Defender for Endpoint response actions (isolations, scans, quarantines ...) newest first, optionally for one device, status or type. Use it to check what is pending before acting.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(MachineActionListOutput),
        Parameters = [DeviceArguments.OptionalDevice, Status, Type, SharedParameters.Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var status = call.Arguments.OptionalEnum(Status);
        var type = call.Arguments.OptionalEnum(Type);
        var limit = call.Arguments.Integer(SharedParameters.Limit);
        var hasDevice = call.Arguments.Has(DeviceArguments.OptionalDevice.Name);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var machineId = hasDevice ? (await DeviceArguments.ResolveAsync(call, client, ct).ConfigureAwait(false)).Id : null;
                var actions = await client.ListMachineActionsAsync(new MachineActionFilter { MachineId = machineId, Status = status, Type = type }, limit, ct).ConfigureAwait(false);
                call.Count("items", actions.Count);
                return ToJson(new MachineActionListOutput(tenant.Key, actions.Count, [.. actions.Select(MachineActionOutput.From)]));
            },
            cancellationToken);
    }
}
