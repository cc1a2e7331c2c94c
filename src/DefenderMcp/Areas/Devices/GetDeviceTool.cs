using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary><c>get_device</c>: one device by id or computer DNS name.</summary>
public sealed class GetDeviceTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>Most related alerts returned with the device.</summary>
    public const int MaxAlerts = 25;

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_device",
        Title = "Get a device",
        Description = "Gets one Defender for Endpoint device by id or computer DNS name: OS, health, risk, exposure, last seen, IP and tags, and the alerts on it.",
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
                var alerts = await client.ListMachineAlertsAsync(machine.Id, MaxAlerts + 1, ct).ConfigureAwait(false);
                return ToJson(new DeviceDetailOutput(
                    tenant.Key,
                    DeviceOutput.From(machine),
                    [.. alerts.OrderByDescending(a => a.AlertCreationTime).Take(MaxAlerts).Select(DeviceAlertOutput.From)],
                    alerts.Count > MaxAlerts));
            },
            cancellationToken);
}
