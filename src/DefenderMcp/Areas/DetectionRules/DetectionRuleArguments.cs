using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary>Shared parameters of the detection rule tools; the rule's query always passes the KQL guard.</summary>
public static partial class DetectionRuleArguments
{
    /// <summary>Run frequencies of the classic schema.</summary>
    public static IReadOnlyList<string> Periods { get; } = ["0", "1H", "3H", "12H", "24H"];

    /// <summary>Alert severities.</summary>
    public static IReadOnlyList<string> Severities { get; } = ["informational", "low", "medium", "high"];

    /// <summary>Schema of <c>rule_id</c>.</summary>
    public static JsonObject IdSchema => Schema.String("The rule id.", 64, "^[A-Za-z0-9-]{1,64}$");

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex IdPattern();

    /// <summary>The validated <c>rule_id</c>.</summary>
    public static string RuleId(ToolCall call) => call.Arguments.RequiredString("rule_id", 64, IdPattern());

    /// <summary>The rule's query, refused when the guard refuses it.</summary>
    public static string? Query(ToolCall call, bool required)
    {
        var query = required ? call.Arguments.RequiredString("query", 10_000) : call.Arguments.OptionalString("query", 10_000);
        if (query is not null)
        {
            HuntingRun.Prepare(query, HuntingTimespan.Default);
        }

        return query;
    }

    /// <summary>A JSON object with the rule's fields, from a Graph rule.</summary>
    public static JsonObject Shape(System.Text.Json.JsonElement rule) => JsonNode.Parse(rule.GetRawText())!.AsObject();
}
