using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary><c>create_detection_rule</c>: a custom detection rule whose query passes the KQL guard.</summary>
public sealed class CreateDetectionRuleTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "create_detection_rule",
        Title = "Create a custom detection rule",
        Description = "Creates a custom detection rule that runs a KQL query on a schedule and raises alerts. The query goes through the KQL guard. No automated response actions are attached. Confirmed by a person.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = false,
        FanOut = false,
        ResultType = typeof(WriteResult),
        InputSchema = Schema.Object(
            ["display_name", "query", "period", "alert_title", "severity", "category"],
            [("display_name", Schema.String("Rule name.", 200)),
             ("query", Schema.String("KQL; keep Timestamp, DeviceId and ReportId un-aggregated so alerts can link to events.", 10_000)),
             ("period", Schema.Enum("How often it runs: 0 (continuous), 1H, 3H, 12H, 24H.", [.. DetectionRuleArguments.Periods])),
             ("alert_title", Schema.String("Title of the alerts it raises.", 200)),
             ("alert_description", Schema.String("Description of the alerts.", 2000)),
             ("severity", Schema.Enum("Alert severity.", [.. DetectionRuleArguments.Severities])),
             ("category", Schema.String("MITRE-style category, e.g. Execution.", 100)),
             ("mitre_techniques", Schema.StringArray("MITRE technique ids, e.g. T1059.001.", 20, 20)),
             ("enabled", Schema.Boolean("Whether the rule starts enabled.", true)),
             .. CommonParameters]),
    };

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var name = a.RequiredString("display_name", 200);
        var query = DetectionRuleArguments.Query(call, required: true)!;
        var rule = new JsonObject
        {
            ["displayName"] = name,
            ["isEnabled"] = a.Boolean("enabled", true),
            ["queryCondition"] = new JsonObject { ["queryText"] = query },
            ["schedule"] = new JsonObject { ["period"] = a.OptionalEnum("period", DetectionRuleArguments.Periods) ?? throw ToolException.InvalidInput("'period' is required.") },
            ["detectionAction"] = new JsonObject
            {
                ["alertTemplate"] = new JsonObject
                {
                    ["title"] = a.RequiredString("alert_title", 200),
                    ["description"] = a.OptionalString("alert_description", 2000) ?? name,
                    ["severity"] = a.OptionalEnum("severity", DetectionRuleArguments.Severities) ?? throw ToolException.InvalidInput("'severity' is required."),
                    ["category"] = a.RequiredString("category", 100),
                    ["recommendedActions"] = null,
                    ["mitreTechniques"] = new JsonArray([.. (a.OptionalStringList("mitre_techniques", 20, 20) ?? []).Select(t => (JsonNode)JsonValue.Create(t))]),
                    ["impactedAssets"] = new JsonArray(new JsonObject { ["@odata.type"] = "#microsoft.graph.security.impactedDeviceAsset", ["identifier"] = "deviceId" }),
                },
                ["organizationalScope"] = null,
                ["responseActions"] = new JsonArray(),
            },
        };
        return Task.FromResult(WritePlan.Of(
            "Create custom detection rule",
            name,
            "(new)",
            null,
            client.CreateDetectionRule(rule),
            (stored, sent) => sent with { Target = new(Text.Clip(stored.DisplayName, 200) ?? name, stored.Id), Rule = DetectionRuleArguments.Result(stored) }));
    }
}
