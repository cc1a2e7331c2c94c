using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary><c>update_detection_rule</c>: changes a rule's name, query, schedule, severity or enabled state.</summary>
public sealed class UpdateDetectionRuleTool(ToolServices services) : WriteTool(Spec, services)
{
    private static readonly ToolParameter DisplayName = ToolParameter.String("display_name", "New name.", 200);
    private static readonly ToolParameter Query = ToolParameter.String("query", "New KQL.", DetectionRuleValues.MaxQueryLength);
    private static readonly ToolParameter Frequency = ToolParameter.Enum("frequency", "New run frequency (ISO 8601): PT1H, PT3H, PT12H, P1D.", DetectionRuleValues.Frequencies);
    private static readonly ToolParameter Severity = ToolParameter.Enum("severity", "New alert severity.", DetectionRuleValues.Severities);
    private static readonly ToolParameter Enabled = ToolParameter.Boolean("enabled", "Enable or disable the rule (status enabled or disabled).", true);

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
        Parameters = [DetectionRuleArguments.RuleIdParameter, DisplayName, Query, Frequency, Severity, Enabled, .. WriteParameters],
    };

    /// <inheritdoc />
    protected override TargetLookup? Target { get; } = new("custom detection rule", DetectionRuleArguments.RuleIdParameter, "list_detection_rules");

    /// <inheritdoc />
    protected override string CheckAfterFailure => "get_detection_rule shows the rule as it is now";

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var id = DetectionRuleArguments.RuleId(call);
        var update = new DetectionRuleUpdate
        {
            DisplayName = a.OptionalString(DisplayName),
            QueryText = DetectionRuleArguments.Query(call, Query),
            Frequency = a.OptionalEnum(Frequency),
            Severity = a.OptionalEnum(Severity),
            Status = a.Has("enabled") ? (a.Boolean(Enabled) ? "enabled" : "disabled") : null,
        };
        if (update is { DisplayName: null, QueryText: null, Frequency: null, Severity: null, Status: null })
        {
            throw ToolException.InvalidInput("Give at least one of display_name, query, frequency, severity, enabled.");
        }

        var request = client.UpdateDetectionRule(id, update);
        var rule = await client.GetDetectionRuleAsync(id, cancellationToken).ConfigureAwait(false);
        // The change in words: disabling a rule or rewriting its query is what the person must see to confirm.
        return WritePlan.Of($"Update custom detection rule ({Text.Clip(Alerts.TriageArguments.Describe(request.Request.JsonBody), 700)})", Text.Clip(rule.DisplayName, 200) ?? id, id, null, request, (stored, sent) => sent with { Changes = DetectionRuleArguments.Changes(a, stored) });
    }
}
