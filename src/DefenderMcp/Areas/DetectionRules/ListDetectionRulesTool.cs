using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary><c>list_detection_rules</c>: custom detection rules (Graph beta).</summary>
public sealed class ListDetectionRulesTool(ToolServices services) : DefenderTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "list_detection_rules",
        Title = "List custom detection rules",
        Description = "Lists the tenant's custom detection rules: their KQL, schedule, alert template and last run.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(DetectionRuleListOutput),
        Parameters = [SharedParameters.Limit, SharedParameters.Tenants],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var limit = call.Arguments.Integer(SharedParameters.Limit);
        return RunReadAsync(
            call,
            async (tenant, client, _, ct) =>
            {
                var rules = await client.ListDetectionRulesAsync(limit, ct).ConfigureAwait(false);
                call.Count("items", rules.Count);
                return ToJson(new DetectionRuleListOutput(tenant.Key, rules.Count, [.. rules.Select(r => DetectionRuleArguments.Shape(r.Raw))]));
            },
            cancellationToken);
    }
}
