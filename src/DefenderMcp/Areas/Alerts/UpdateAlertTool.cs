using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.Alerts;

/// <summary><c>update_alert</c>: status, assignee, classification and determination of an alert.</summary>
public sealed class UpdateAlertTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "update_alert",
        Title = "Update an alert",
        Description = "Updates an alert's status, assignee, classification or determination. Confirmed by a person before it runs; use dry_run to preview.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(WriteResult),
        Parameters = [AlertParameters.AlertId, .. TriageArguments.ForAlert, .. WriteParameters],
    };

    /// <inheritdoc />
    protected override TargetLookup? Target { get; } = new("alert", AlertParameters.AlertId, "list_alerts");

    /// <inheritdoc />
    protected override string CheckAfterFailure => "get_alert shows the alert as it is now";

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var id = a.RequiredString(AlertParameters.AlertId);
        var update = TriageArguments.Alert(a);
        var request = client.UpdateAlert(id, update);
        var alert = await client.GetAlertAsync(id, cancellationToken).ConfigureAwait(false);
        return WritePlan.Of(
            $"Update alert ({TriageArguments.Describe(request.Request.JsonBody)})",
            Text.Clip(alert.Title, 200) ?? id,
            id,
            null,
            request,
            (now, sent) => sent with { Changes = TriageArguments.Changes(update, now) });
    }
}
