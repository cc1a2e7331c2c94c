using System.Text.Json.Nodes;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary><c>get_domain_info</c>: a domain's in-organization prevalence, the devices that reached it and its alerts.</summary>
public sealed class GetDomainInfoTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_domain_info",
        Title = "Get domain info",
        Description = "Pivots on a DNS domain: how many devices reached it and when, those devices, and the alerts that name it (URLs, senders).",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(DomainInfoOutput),
        Parameters = [EntityArguments.DomainName, EntityArguments.Limit, EntityArguments.LookBack, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var domain = EntityArguments.Domain(call.Arguments);
        var limit = call.Arguments.Integer(EntityArguments.Limit);
        var lookBack = call.Arguments.Integer(EntityArguments.LookBack);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var stats = await client.GetDomainStatsAsync(domain, lookBack, ct).ConfigureAwait(false);
                var devices = await client.ListDomainMachinesAsync(domain, limit + 1, ct).ConfigureAwait(false);
                var alerts = await client.ListDomainAlertsAsync(domain, limit + 1, ct).ConfigureAwait(false);
                call.Count("items", Math.Min(devices.Count, limit) + Math.Min(alerts.Count, limit));
                return ToJson(new DomainInfoOutput(
                    tenant.Key,
                    domain,
                    EntityStatsOutput.From(stats),
                    [.. devices.Take(limit).Select(DeviceOutput.From)],
                    [.. alerts.Take(limit).Select(EntityAlertOutput.From)],
                    devices.Count > limit || alerts.Count > limit));
            },
            cancellationToken);
    }
}
