using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary><c>get_ip_info</c>: an IP's in-organization prevalence, its alerts and the devices those alerts are on.</summary>
public sealed class GetIpInfoTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_ip_info",
        Title = "Get IP info",
        Description = "Pivots on an IPv4 or IPv6 address: how many devices connected to it and when, the alerts that name it and the devices those alerts are on.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(IpInfoOutput),
        Parameters = [EntityArguments.IpAddress, EntityArguments.Limit, EntityArguments.LookBack, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var ip = EntityArguments.Ip(call.Arguments);
        var limit = call.Arguments.Integer(EntityArguments.Limit);
        var lookBack = call.Arguments.Integer(EntityArguments.LookBack);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var stats = await client.GetIpStatsAsync(ip, lookBack, ct).ConfigureAwait(false);
                var alerts = await client.ListIpAlertsAsync(ip, limit + 1, ct).ConfigureAwait(false);
                var devices = alerts.Where(a => a.MachineId is not null).DistinctBy(a => a.MachineId, StringComparer.OrdinalIgnoreCase)
                    .Select(a => new DeviceRefOutput(a.MachineId!, Text.Clip(a.ComputerDnsName, 255))).ToList();
                call.Count("items", Math.Min(alerts.Count, limit));
                return ToJson(new IpInfoOutput(
                    tenant.Key,
                    ip,
                    EntityStatsOutput.From(stats),
                    [.. devices.Take(limit)],
                    [.. alerts.Take(limit).Select(EntityAlertOutput.From)],
                    alerts.Count > limit || devices.Count > limit));
            },
            cancellationToken);
    }
}
