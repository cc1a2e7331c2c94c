using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Alerts;

/// <summary><c>list_alerts</c>: recent alerts, filtered by severity and status.</summary>
public sealed class ListAlertsTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter Severity = ToolParameter.Enum("severity", "Only alerts of this severity.", AlertFilters.Severities);
    private static readonly ToolParameter Status = ToolParameter.Enum("status", "Only alerts in this status.", AlertFilters.Statuses);
    private static readonly ToolParameter Limit = SharedParameters.Limit.Described("How many alerts (default 25, at most 100).");

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
        Parameters = [Severity, Status, Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var severity = call.Arguments.OptionalEnum(Severity);
        var status = call.Arguments.OptionalEnum(Status);
        var limit = call.Arguments.Integer(Limit);
        // Shown PascalCase in the schema; the client sends Graph's camelCase spelling.
        var filter = new AlertFilter(status, severity);
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
