using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary>
/// <c>get_device</c>: one device by id, computer DNS name or unique short host name, with its isolation and
/// app-restriction state (from its machine actions) and its alerts.
/// </summary>
public sealed class GetDeviceTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>Most related alerts returned with the device.</summary>
    public const int MaxAlerts = 25;

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_device",
        Title = "Get a device",
        Description = "Gets one device by id, DNS name or unique host name: OS, health, risk, exposure, last seen, IP, tags, isolation and app restriction, and its alerts.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(DeviceDetailOutput),
        Parameters = [DeviceArguments.Device, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken) =>
        RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var machine = await DeviceArguments.ResolveAsync(call, client, ct).ConfigureAwait(false);
                var alertsRead = client.ListMachineAlertsAsync(machine.Id, MaxAlerts + 1, ct);
                var actionsRead = client.ListMachineActionsAsync(new MachineActionFilter { MachineId = machine.Id }, DeviceResponseState.MaxActions, ct);
                await Task.WhenAll(alertsRead, actionsRead).ConfigureAwait(false);
                var (alerts, actions) = (await alertsRead.ConfigureAwait(false), await actionsRead.ConfigureAwait(false));
                return ToJson(new DeviceDetailOutput(
                    tenant.Key,
                    DeviceOutput.From(machine),
                    DeviceResponseState.Isolation(actions),
                    DeviceResponseState.AppRestriction(actions),
                    [.. alerts.OrderByDescending(a => a.AlertCreationTime).Take(MaxAlerts).Select(DeviceAlertOutput.From)],
                    alerts.Count > MaxAlerts));
            },
            cancellationToken);
}
