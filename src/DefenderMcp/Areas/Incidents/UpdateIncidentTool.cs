using DefenderMcp.Areas.Alerts;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.Incidents;

/// <summary><c>update_incident</c>: status, assignee, classification, determination and tags of an incident.</summary>
public sealed class UpdateIncidentTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "update_incident",
        Title = "Update an incident",
        Description = "Updates an incident's status, assignee, classification, determination or custom tags (tags replace the list). Confirmed by a person before it runs; use dry_run to preview.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(WriteResult),
        Parameters = [IncidentParameters.IncidentId, .. TriageArguments.ForIncident, .. WriteParameters],
    };

    /// <inheritdoc />
    protected override TargetLookup? Target { get; } = new("incident", IncidentParameters.IncidentId, "list_incidents");

    /// <inheritdoc />
    protected override string CheckAfterFailure => "get_incident shows the incident as it is now";

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var id = a.RequiredString(IncidentParameters.IncidentId);
        var update = TriageArguments.Incident(a);
        var request = client.UpdateIncident(id, update);
        var incident = await client.GetIncidentAsync(id, cancellationToken).ConfigureAwait(false);
        // Graph replaces the whole tag list: name the tags that would be dropped, so that nobody removes them unawares.
        var dropped = update.CustomTags is null ? [] : incident.CustomTags.Except(update.CustomTags, StringComparer.Ordinal).Select(t => Text.Clip(t, 100)).ToList();
        var replacing = dropped.Count == 0 ? string.Empty : $"; removes the current tags {string.Join(", ", dropped.Take(20).Select(t => $"\"{t}\""))}";
        return WritePlan.Of(
            $"Update incident ({TriageArguments.Describe(request.Request.JsonBody)}{replacing})",
            Text.Clip(incident.DisplayName, 200) ?? id,
            id,
            null,
            request,
            (now, sent) => sent with { Changes = TriageArguments.Changes(update, now) });
    }
}
