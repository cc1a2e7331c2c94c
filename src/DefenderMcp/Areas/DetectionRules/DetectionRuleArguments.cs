using System.Text.Json.Nodes;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Client;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary>Shared parameters of the detection rule tools; the rule's query always passes the KQL guard.</summary>
public static class DetectionRuleArguments
{
    /// <summary>The <c>rule_id</c> of an existing rule.</summary>
    public static ToolParameter RuleIdParameter { get; } = ToolParameter.String("rule_id", "The rule id.", 128, "^[A-Za-z0-9-]{1,128}$").AsRequired();

    /// <summary>The validated <c>rule_id</c>.</summary>
    public static string RuleId(ToolCall call) => call.Arguments.RequiredString(RuleIdParameter);

    /// <summary>The rule's query as <paramref name="parameter"/> declares it, refused when the guard refuses it.</summary>
    public static string? Query(ToolCall call, ToolParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(parameter);
        var query = parameter.IsRequired ? call.Arguments.RequiredString(parameter) : call.Arguments.OptionalString(parameter);
        if (query is not null)
        {
            HuntingRun.Prepare(query, HuntingTimespan.Default);
        }

        return query;
    }

    /// <summary>
    /// A JSON object with the rule's fields, from a Graph rule, without OData annotations (<c>@odata.*</c>), every
    /// upstream string clipped: the query text to 10,000 characters, any other to 1,024.
    /// </summary>
    public static JsonObject Shape(System.Text.Json.JsonElement rule) => (JsonObject)WithoutAnnotations(JsonNode.Parse(rule.GetRawText())!)!;

    /// <summary>How a stored rule is reported after a write.</summary>
    public static DetectionRuleResult Result(DetectionRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new DetectionRuleResult(rule.Id, Text.Clip(rule.DisplayName, 200), rule.Status, rule.Frequency, rule.Severity);
    }

    /// <summary>Each field <c>update_detection_rule</c> was given, by parameter name, with the value the stored rule now has.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> Changes(ToolArguments args, DetectionRule now)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(now);
        var changes = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (args.Has("display_name"))
        {
            changes["display_name"] = Text.Clip(now.DisplayName, 200);
        }

        if (args.Has("query"))
        {
            changes["query"] = Text.Clip(now.QueryText, 10_000);
        }

        if (args.Has("frequency"))
        {
            changes["frequency"] = now.Frequency;
        }

        if (args.Has("severity"))
        {
            changes["severity"] = now.Severity;
        }

        if (args.Has("enabled"))
        {
            changes["enabled"] = now.Status is { } status ? status == "enabled" : null;
        }

        return changes;
    }

    // Rules carry "@odata.type" on nested objects; a model needs none of them. The rule is upstream data passed through
    // whole, so its strings are clipped here (a rule's query is the one long field).
    private static JsonNode? WithoutAnnotations(JsonNode? node, int max = Text.DefaultMax)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(k => k.StartsWith("@odata.", StringComparison.Ordinal)).ToList())
                {
                    o.Remove(key);
                }

                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var value = o[key];
                    if (WithoutAnnotations(value, key == "queryText" ? 10_000 : Text.DefaultMax) is var shaped && !ReferenceEquals(shaped, value))
                    {
                        o[key] = shaped;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var item = a[i];
                    if (WithoutAnnotations(item, max) is var shaped && !ReferenceEquals(shaped, item))
                    {
                        a[i] = shaped;
                    }
                }

                break;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>().Length > max:
                return JsonValue.Create(Text.Clip(v.GetValue<string>(), max));
        }

        return node;
    }
}
