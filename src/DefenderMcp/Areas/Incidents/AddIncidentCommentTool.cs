using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.Incidents;

/// <summary><c>add_incident_comment</c>: adds a comment to an incident.</summary>
public sealed class AddIncidentCommentTool(ToolServices services) : WriteTool(Spec, services)
{
    private static readonly ToolParameter Comment = ToolParameter.String("comment", "The comment.", TriageValues.MaxCommentLength).AsRequired();

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "add_incident_comment",
        Title = "Comment on an incident",
        Description = "Adds a comment to an incident (for example a triage summary). Confirmed by a person before it runs.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = false,
        FanOut = false,
        ResultType = typeof(WriteResult),
        Parameters = [IncidentParameters.IncidentId, Comment, .. WriteParameters],
    };

    /// <inheritdoc />
    protected override TargetLookup? Target { get; } = new("incident", IncidentParameters.IncidentId, "list_incidents");

    /// <inheritdoc />
    protected override string CheckAfterFailure => "the incident's comments in the Defender portal show whether it was added; calling again adds a second comment";

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var id = call.Arguments.RequiredString(IncidentParameters.IncidentId);
        var comment = CommentAttribution.Given(call.Arguments.RequiredString(Comment), call.CommentCaller, TriageValues.MaxCommentLength);
        var request = client.CommentOnIncident(id, comment);
        var incident = await client.GetIncidentAsync(id, cancellationToken).ConfigureAwait(false);
        return WritePlan.Of("Comment on incident", Text.Clip(incident.DisplayName, 200) ?? id, id, comment, request, (_, sent) => sent);
    }
}
