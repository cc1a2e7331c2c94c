using System.Text.RegularExpressions;
using DefenderMcp.Areas.Incidents;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.Alerts;

/// <summary><c>update_alert</c>: status, assignee, classification and determination of an alert.</summary>
public sealed partial class UpdateAlertTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>Alert statuses that can be set.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["new", "inProgress", "resolved"];

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
        ResultType = typeof(WriteResultOutput),
        InputSchema = Schema.Object(
            ["alert_id"],
            [("alert_id", Schema.String("The alert id.", 128, "^[A-Za-z0-9_-]{1,128}$")),
             ("status", Schema.Enum("New status.", [.. Statuses])),
             ("assigned_to", Schema.String("Assignee (UPN).", 256)),
             ("classification", Schema.Enum("Classification.", [.. UpdateIncidentTool.Classifications])),
             ("determination", Schema.Enum("Determination.", [.. UpdateIncidentTool.Determinations])),
             .. CommonParameters]),
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex IdPattern();

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var id = a.RequiredString("alert_id", 128, IdPattern());
        var patch = TriagePatch.Build(a, Statuses, withTags: false);
        var alert = await client.GetAlertAsync(id, cancellationToken).ConfigureAwait(false);
        return new WritePlan($"Update alert ({TriagePatch.Describe(patch)})", Text.Clip(alert.Title, 200) ?? id, id, null, client.UpdateAlertRequest(id, patch));
    }
}
