using System.Text.Json.Nodes;
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
        Description = "Updates a custom detection rule: name, query (through the KQL guard), schedule, alert severity or enabled state. Confirmed by a person.",
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
             ("period", Schema.Enum("New schedule.", [.. DetectionRuleArguments.Periods])),
             ("severity", Schema.Enum("New alert severity.", [.. DetectionRuleArguments.Severities])),
             ("enabled", Schema.Boolean("Enable or disable the rule.", true)),
             .. CommonParameters]),
    };

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var id = DetectionRuleArguments.RuleId(call);
        var patch = new JsonObject();
        if (a.OptionalString("display_name", 200) is { } name)
        {
            patch["displayName"] = name;
        }

        if (DetectionRuleArguments.Query(call, required: false) is { } query)
        {
            patch["queryCondition"] = new JsonObject { ["queryText"] = query };
        }

        if (a.OptionalEnum("period", DetectionRuleArguments.Periods) is { } period)
        {
            patch["schedule"] = new JsonObject { ["period"] = period };
        }

        if (a.OptionalEnum("severity", DetectionRuleArguments.Severities) is { } severity)
        {
            patch["detectionAction"] = new JsonObject { ["alertTemplate"] = new JsonObject { ["severity"] = severity } };
        }

        if (a.Has("enabled"))
        {
            patch["isEnabled"] = a.Boolean("enabled", true);
        }

        if (patch.Count == 0)
        {
            throw ToolException.InvalidInput("Give at least one of display_name, query, period, severity, enabled.");
        }

        var request = client.UpdateDetectionRule(id, patch);
        var rule = await client.GetDetectionRuleAsync(id, cancellationToken).ConfigureAwait(false);
        return WritePlan.Of("Update custom detection rule", Text.Clip(rule.DisplayName, 200) ?? id, id, null, request, (stored, sent) => sent with { Changes = DetectionRuleArguments.Changes(a, stored) });
    }
}
