using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary><c>create_detection_rule</c>: a custom detection rule (current Graph schema) whose query passes the KQL guard.</summary>
public sealed class CreateDetectionRuleTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "create_detection_rule",
        Title = "Create a custom detection rule",
        Description = "Creates a custom detection rule that runs a KQL query on a schedule and raises alerts mapped to the query's DeviceId. The query goes through the KQL guard. No automated response actions are attached. Confirmed by a person.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = false,
        FanOut = false,
        ResultType = typeof(WriteResult),
        InputSchema = Schema.Object(
            ["display_name", "query", "frequency", "alert_title", "severity"],
            [("rule_id", Schema.String("The new rule's id (letters, digits, hyphens), e.g. office-encoded-powershell; made from display_name when omitted.", DetectionRuleValues.MaxIdLength, "^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")),
             ("display_name", Schema.String("Rule name.", 200)),
             ("query", Schema.String("KQL; keep Timestamp, DeviceId and ReportId un-aggregated so alerts can link to events.", DetectionRuleValues.MaxQueryLength)),
             ("frequency", Schema.Enum("How often it runs (ISO 8601): PT1H hourly, PT3H, PT12H, P1D daily.", [.. DetectionRuleValues.Frequencies])),
             ("alert_title", Schema.String("Title of the alerts it raises.", 200)),
             ("alert_description", Schema.String("Description of the alerts.", 2000)),
             ("severity", Schema.Enum("Alert severity.", [.. DetectionRuleValues.Severities])),
             ("recommended_actions", Schema.String("What an analyst should do about an alert.", 2000)),
             ("tactic", Schema.Enum("MITRE ATT&CK tactic, e.g. Execution.", [.. DetectionRuleValues.Tactics])),
             ("mitre_techniques", Schema.StringArray("MITRE technique ids under the tactic, e.g. T1059.001.", 20, 20)),
             ("enabled", Schema.Boolean("Whether the rule starts enabled (status enabled or disabled).", true)),
             .. CommonParameters]),
    };

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var name = a.RequiredString("display_name", 200);
        var rule = new DetectionRuleRequest
        {
            Id = a.OptionalString("rule_id", DetectionRuleValues.MaxIdLength, DetectionRuleValues.IdPattern()) ?? DetectionRuleValues.IdFrom(name),
            DisplayName = name,
            Status = a.Boolean("enabled", true) ? "enabled" : "disabled",
            QueryText = DetectionRuleArguments.Query(call, required: true)!,
            Frequency = a.OptionalEnum("frequency", DetectionRuleValues.Frequencies) ?? throw ToolException.InvalidInput("'frequency' is required."),
            AlertTitle = a.RequiredString("alert_title", 200),
            AlertDescription = a.OptionalString("alert_description", 2000),
            Severity = a.OptionalEnum("severity", DetectionRuleValues.Severities) ?? throw ToolException.InvalidInput("'severity' is required."),
            RecommendedActions = a.OptionalString("recommended_actions", 2000),
            Tactic = a.OptionalEnum("tactic", DetectionRuleValues.Tactics),
            Techniques = a.OptionalStringList("mitre_techniques", 20, 20),
        };
        return Task.FromResult(WritePlan.Of(
            "Create custom detection rule",
            name,
            rule.Id,
            null,
            client.CreateDetectionRule(rule),
            (stored, sent) => sent with { Target = new(Text.Clip(stored.DisplayName, 200) ?? name, stored.Id), Rule = DetectionRuleArguments.Result(stored) }));
    }
}
