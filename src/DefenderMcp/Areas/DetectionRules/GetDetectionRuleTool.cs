using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary><c>get_detection_rule</c>: one custom detection rule.</summary>
public sealed class GetDetectionRuleTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "get_detection_rule",
        Title = "Get a custom detection rule",
        Description = "Gets one custom detection rule by id: its KQL query, schedule, alert template and last run details.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(DetectionRuleOutput),
        Parameters = [DetectionRuleArguments.RuleIdParameter, SharedParameters.OneTenant],
    };

    /// <inheritdoc />
    protected override TargetLookup? LookedUp { get; } = new("custom detection rule", DetectionRuleArguments.RuleIdParameter, "list_detection_rules");

    /// <inheritdoc />
    protected override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var id = DetectionRuleArguments.RuleId(call);
        var tenant = SelectTenants(call).Tenants[0];
        var rule = await Services.Tenants.GetClient(tenant).GetDetectionRuleAsync(id, cancellationToken).ConfigureAwait(false);
        return ToJson(new DetectionRuleOutput(tenant.Key, DetectionRuleArguments.Shape(rule.Raw)));
    }
}
