using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.MachineActions;

/// <summary><c>list_machine_actions</c>: recent response actions, by device, status and type.</summary>
public sealed class ListMachineActionsTool(ToolServices services) : DefenderTool(Spec, services)
{
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
        InputSchema = Schema.Object(
            [],
            ("device", DeviceArguments.DeviceSchema),
            ("status", Schema.Enum("Only actions in this status.", [.. MachineActionKind.Statuses])),
            ("type", Schema.Enum("Only actions of this type.", [.. MachineActionKind.Types])),
            ("limit", Schema.Integer("How many (default 25, at most 100).", 1, 100, 25)),
            ("tenant", Schema.Tenant(allowFanOut: true))),
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var status = call.Arguments.OptionalEnum("status", MachineActionKind.Statuses);
        var type = call.Arguments.OptionalEnum("type", MachineActionKind.Types);
        var limit = call.Arguments.Integer("limit", 1, 100, 25);
        var hasDevice = call.Arguments.Has("device");
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
