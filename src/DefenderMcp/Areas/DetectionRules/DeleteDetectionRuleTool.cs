using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary><c>delete_detection_rule</c>: deletes a custom detection rule.</summary>
public sealed class DeleteDetectionRuleTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "delete_detection_rule",
        Title = "Delete a custom detection rule",
        Description = "Deletes a custom detection rule. Confirmed by a person before it runs.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = true,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(WriteResult),
        Parameters = [DetectionRuleArguments.RuleIdParameter, .. WriteParameters],
    };

    /// <inheritdoc />
    protected override TargetLookup? Target { get; } = new("custom detection rule", DetectionRuleArguments.RuleIdParameter, "list_detection_rules");

    /// <inheritdoc />
    protected override string CheckAfterFailure => "get_detection_rule shows whether the rule is still there";

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var id = DetectionRuleArguments.RuleId(call);
        var request = client.DeleteDetectionRule(id);
        var rule = await client.GetDetectionRuleAsync(id, cancellationToken).ConfigureAwait(false);
        return WritePlan.Of("Delete custom detection rule", Text.Clip(rule.DisplayName, 200) ?? id, id, null, request, (deleted, sent) => sent with { DeletedIds = [deleted] });
    }
}
