using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Alerts;

/// <summary><c>get_alert</c>: one alert with its evidence flattened into entities.</summary>
public sealed class GetAlertTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>Most entities returned for one alert.</summary>
    public const int MaxEntities = 50;

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_alert",
        Title = "Get alert",
        Description =
            "Gets one Defender XDR alert by id: severity, status, classification, MITRE techniques, description, " +
            "recommended actions and its evidence flattened into entities (devices, users, files, processes, IPs, URLs).",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(AlertDetailOutput),
        Parameters = [AlertParameters.AlertId.Described("The alert id, e.g. da637551227677560813_-961444813."), SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override TargetLookup? LookedUp { get; } = new("alert", AlertParameters.AlertId, "list_alerts");

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var id = call.Arguments.RequiredString(AlertParameters.AlertId);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var alert = await client.GetAlertAsync(id, ct).ConfigureAwait(false);
                var entities = EvidenceFlattener.Flatten([alert], MaxEntities + 1);
                call.Count("items", 1);
                return ToJson(new AlertDetailOutput(
                    tenant.Key,
                    AlertSummaryOutput.From(alert),
                    Text.Clip(alert.Description, 4000),
                    Text.Clip(alert.RecommendedActions, 4000),
                    Text.Clip(alert.ThreatDisplayName, 256),
                    alert.FirstActivityDateTime,
                    alert.LastActivityDateTime,
                    [.. entities.Take(MaxEntities)],
                    entities.Count > MaxEntities));
            },
            cancellationToken);
    }
}
