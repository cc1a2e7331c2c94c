using System.Text.Json.Nodes;
using DefenderMcp.Areas.Alerts;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Incidents;

/// <summary><c>get_incident</c>: one incident, its alerts, and the impacted entities from their evidence.</summary>
public sealed class GetIncidentTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>Most alerts returned for one incident.</summary>
    public const int MaxAlerts = 50;

    /// <summary>Most impacted entities returned for one incident.</summary>
    public const int MaxEntities = 100;

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_incident",
        Title = "Get incident",
        Description =
            "Gets one Defender XDR incident by id: severity, status, classification, determination, assignee, its " +
            "alerts, and the impacted entities (devices, users, files, processes, IPs, URLs, mailboxes) flattened from " +
            "the alerts' evidence. Use it to summarise or triage an incident.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(IncidentDetailOutput),
        Parameters = [IncidentParameters.IncidentId.Described("The numeric incident id, e.g. 4312."), SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override TargetLookup? LookedUp { get; } = new("incident", IncidentParameters.IncidentId, "list_incidents");

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var id = call.Arguments.RequiredString(IncidentParameters.IncidentId);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var incident = await client.GetIncidentAsync(id, ct).ConfigureAwait(false);
                var entities = EvidenceFlattener.Flatten(incident.Alerts, MaxEntities + 1);
                call.Count("items", 1);
                call.Count("alerts", incident.Alerts.Count);
                return ToJson(new IncidentDetailOutput(
                    tenant.Key,
                    IncidentSummaryOutput.From(incident),
                    Text.Clip(incident.Description, 4000),
                    incident.Alerts.Count,
                    [.. incident.Alerts.Take(MaxAlerts).Select(AlertSummaryOutput.From)],
                    incident.Alerts.Count > MaxAlerts,
                    [.. entities.Take(MaxEntities)],
                    entities.Count > MaxEntities));
            },
            cancellationToken);
    }
}
