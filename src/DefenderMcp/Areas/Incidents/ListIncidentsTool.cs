using System.Text.Json.Nodes;
using DefenderMcp.Areas.Alerts;
using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Incidents;

/// <summary><c>list_incidents</c>: recent incidents, filtered by status, severity and creation time.</summary>
public sealed class ListIncidentsTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>Incident statuses accepted by the filter.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["Active", "InProgress", "Resolved", "Redirected"];

    private static readonly ToolParameter Status = ToolParameter.Enum("status", "Only incidents in this status.", Statuses);
    private static readonly ToolParameter Severity = ToolParameter.Enum("severity", "Only incidents of this severity.", AlertFilters.Severities);
    private static readonly ToolParameter CreatedAfter = ToolParameter.DateTime("created_after", "Only incidents created after this ISO-8601 time, e.g. 2026-01-31T00:00:00Z.");
    private static readonly ToolParameter Limit = SharedParameters.Limit.Described("How many incidents (default 25, at most 100).");

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_incidents",
        Title = "List incidents",
        Description =
            "Lists Defender XDR incidents (newest first), optionally filtered by status, severity and creation time. " +
            "Use it to find what needs triage; then get_incident for alerts and impacted entities.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(IncidentListOutput),
        Parameters = [Status, Severity, CreatedAfter, Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var status = call.Arguments.OptionalEnum(Status);
        var severity = call.Arguments.OptionalEnum(Severity);
        var createdAfter = call.Arguments.OptionalDateTime(CreatedAfter);
        var limit = call.Arguments.Integer(Limit);
        // Shown PascalCase in the schema; the client sends Graph's camelCase spelling.
        var filter = new IncidentFilter(status, severity, createdAfter);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var incidents = await client.ListIncidentsAsync(filter, limit, ct).ConfigureAwait(false);
                call.Count("items", incidents.Count);
                return ToJson(new IncidentListOutput(tenant.Key, incidents.Count, limit, [.. incidents.Select(IncidentSummaryOutput.From)]));
            },
            cancellationToken);
    }
}
