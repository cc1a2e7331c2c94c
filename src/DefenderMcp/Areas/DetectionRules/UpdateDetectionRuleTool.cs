using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary><c>update_detection_rule</c>: changes a rule's name, query, schedule, severity or enabled state.</summary>
public sealed class UpdateDetectionRuleTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "update_detection_rule",
        Title = "Update a custom detection rule",
        Description = "Updates a custom detection rule: name, query (through the KQL guard), run frequency, alert severity or enabled state. Confirmed by a person.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(WriteResult),
        InputSchema = Schema.Object(
            ["rule_id"],
            [("rule_id", DetectionRuleArguments.IdSchema),
             ("display_name", Schema.String("New name.", 200)),
             ("query", Schema.String("New KQL.", 10_000)),
             ("frequency", Schema.Enum("New run frequency (ISO 8601): PT1H, PT3H, PT12H, P1D.", [.. DetectionRuleValues.Frequencies])),
             ("severity", Schema.Enum("New alert severity.", [.. DetectionRuleValues.Severities])),
             ("enabled", Schema.Boolean("Enable or disable the rule (status enabled or disabled).", true)),
             .. CommonParameters]),
    };

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var id = DetectionRuleArguments.RuleId(call);
        var update = new DetectionRuleUpdate
        {
            DisplayName = a.OptionalString("display_name", 200),
            QueryText = DetectionRuleArguments.Query(call, required: false),
            Frequency = a.OptionalEnum("frequency", DetectionRuleValues.Frequencies),
            Severity = a.OptionalEnum("severity", DetectionRuleValues.Severities),
            Status = a.Has("enabled") ? (a.Boolean("enabled", true) ? "enabled" : "disabled") : null,
        };
        if (update is { DisplayName: null, QueryText: null, Frequency: null, Severity: null, Status: null })
        {
            throw ToolException.InvalidInput("Give at least one of display_name, query, frequency, severity, enabled.");
        }

        var request = client.UpdateDetectionRule(id, update);
        var rule = await client.GetDetectionRuleAsync(id, cancellationToken).ConfigureAwait(false);
        return WritePlan.Of("Update custom detection rule", Text.Clip(rule.DisplayName, 200) ?? id, id, null, request, (stored, sent) => sent with { Changes = DetectionRuleArguments.Changes(a, stored) });
    }
}
