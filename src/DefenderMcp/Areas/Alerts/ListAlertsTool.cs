using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Alerts;

/// <summary><c>list_alerts</c>: recent alerts, filtered by severity and status.</summary>
public sealed class ListAlertsTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_alerts",
        Title = "List alerts",
        Description =
            "Lists recent Defender XDR alerts (newest first), optionally filtered by severity and status. Use it to see " +
            "what fired recently, then get_alert for evidence or get_incident for the whole story.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(AlertListOutput),
        InputSchema = Schema.Object(
            [],
            ("severity", Schema.Enum("Only alerts of this severity.", [.. AlertFilters.Severities])),
            ("status", Schema.Enum("Only alerts in this status.", [.. AlertFilters.Statuses])),
            ("limit", Schema.Integer("How many alerts (default 25, at most 100).", 1, 100, 25)),
            ("tenant", Schema.Tenant(allowFanOut: true))),
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var severity = call.Arguments.OptionalEnum("severity", AlertFilters.Severities);
        var status = call.Arguments.OptionalEnum("status", AlertFilters.Statuses);
        var limit = call.Arguments.Integer("limit", 1, 100, 25);
        var filter = new AlertFilter(AlertFilters.ToGraph(status), AlertFilters.ToGraph(severity));
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var alerts = await client.ListAlertsAsync(filter, limit, ct).ConfigureAwait(false);
                call.Count("items", alerts.Count);
                return ToJson(new AlertListOutput(tenant.Key, alerts.Count, limit, [.. alerts.Select(AlertSummaryOutput.From)]));
            },
            cancellationToken);
    }
}
