using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary><c>create_detection_rule</c>: a custom detection rule (current Graph schema) whose query passes the KQL guard.</summary>
public sealed class CreateDetectionRuleTool(ToolServices services) : WriteTool(Spec, services)
{
    private static readonly ToolParameter RuleId = ToolParameter.String("rule_id", "The new rule's id (letters, digits, hyphens), e.g. office-encoded-powershell; made from display_name when omitted.", DetectionRuleValues.MaxIdLength, DetectionRuleValues.IdPattern().ToString());
    private static readonly ToolParameter DisplayName = ToolParameter.String("display_name", "Rule name.", 200).AsRequired();
    private static readonly ToolParameter Query = ToolParameter.String("query", "KQL; keep Timestamp, DeviceId and ReportId un-aggregated so alerts can link to events.", DetectionRuleValues.MaxQueryLength).AsRequired();
    private static readonly ToolParameter Frequency = ToolParameter.Enum("frequency", "How often it runs (ISO 8601): PT1H hourly, PT3H, PT12H, P1D daily.", DetectionRuleValues.Frequencies).AsRequired();
    private static readonly ToolParameter AlertTitle = ToolParameter.String("alert_title", "Title of the alerts it raises.", 200).AsRequired();
    private static readonly ToolParameter AlertDescription = ToolParameter.String("alert_description", "Description of the alerts.", 2000);
    private static readonly ToolParameter Severity = ToolParameter.Enum("severity", "Alert severity.", DetectionRuleValues.Severities).AsRequired();
    private static readonly ToolParameter RecommendedActions = ToolParameter.String("recommended_actions", "What an analyst should do about an alert.", 2000);
    private static readonly ToolParameter Tactic = ToolParameter.Enum("tactic", "MITRE ATT&CK tactic, e.g. Execution.", DetectionRuleValues.Tactics);
    private static readonly ToolParameter Techniques = ToolParameter.StringList("mitre_techniques", "MITRE technique ids under the tactic, e.g. T1059.001.", 20, 20);
    private static readonly ToolParameter Enabled = ToolParameter.Boolean("enabled", "Whether the rule starts enabled (status enabled or disabled).", true);

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
        Parameters = [RuleId, DisplayName, Query, Frequency, AlertTitle, AlertDescription, Severity, RecommendedActions, Tactic, Techniques, Enabled, .. WriteParameters],
    };

    /// <inheritdoc />
    protected override string CheckAfterFailure => "list_detection_rules shows whether the rule exists now; creating it again with the same rule_id is refused as a conflict";

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var name = a.RequiredString(DisplayName);
        var rule = new DetectionRuleRequest
        {
            Id = a.OptionalString(RuleId) ?? DetectionRuleValues.IdFrom(name),
            DisplayName = name,
            Status = a.Boolean(Enabled) ? "enabled" : "disabled",
            QueryText = DetectionRuleArguments.Query(call, Query)!,
            Frequency = a.RequiredEnum(Frequency),
            AlertTitle = a.RequiredString(AlertTitle),
            AlertDescription = a.OptionalString(AlertDescription),
            Severity = a.RequiredEnum(Severity),
            RecommendedActions = a.OptionalString(RecommendedActions),
            Tactic = a.OptionalEnum(Tactic),
            Techniques = a.OptionalStringList(Techniques),
        };
        return Task.FromResult(WritePlan.Of(
            $"Create custom detection rule ({rule.Status}, every {rule.Frequency}, severity {rule.Severity}; query: {Text.Clip(rule.QueryText, 500)})",
            name,
            rule.Id,
            null,
            client.CreateDetectionRule(rule),
            (stored, sent) => sent with { Target = new(Text.Clip(stored.DisplayName, 200) ?? name, stored.Id), Rule = DetectionRuleArguments.Result(stored) }));
    }
}
