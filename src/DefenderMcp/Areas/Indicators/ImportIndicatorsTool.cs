using System.Text.Json.Nodes;
using System.Text.Json;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.Indicators;

/// <summary><c>import_indicators</c>: submits up to 500 indicators at once, each validated by type.</summary>
public sealed class ImportIndicatorsTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>Most indicators per import (the API's limit).</summary>
    public const int MaxItems = 500;

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "import_indicators",
        Title = "Import indicators",
        Description = "Submits up to 500 custom indicators in one call; every value is validated by its type first and one bad item refuses the whole import. Confirmed by a person.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(WriteResultOutput),
        InputSchema = Schema.Object(
            ["indicators"],
            [("indicators", new JsonObject
            {
                ["type"] = "array",
                ["description"] = "Indicators: {indicator_type, value, action, title, description, severity?}.",
                ["minItems"] = 1,
                ["maxItems"] = MaxItems,
                ["items"] = Schema.Object(
                    ["indicator_type", "value", "action", "title", "description"],
                    ("indicator_type", Schema.Enum("Kind of value.", [.. IndicatorValidator.Types])),
                    ("value", Schema.String("The value.", 2048)),
                    ("action", Schema.Enum("Action.", [.. IndicatorValidator.Actions])),
                    ("title", Schema.String("Title.", 200)),
                    ("description", Schema.String("Description.", 1000)),
                    ("severity", Schema.Enum("Severity.", "Informational", "Low", "Medium", "High"))),
            }),
             .. CommonParameters]),
    };

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        if (call.Arguments.Raw("indicators") is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() is 0 or > MaxItems)
        {
            throw ToolException.InvalidInput($"'indicators' must be a list of 1 to {MaxItems} indicators.");
        }

        var items = new JsonArray();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            string Field(string name, int max, bool required = true)
            {
                var value = item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : null;
                if ((required && string.IsNullOrEmpty(value)) || (value is not null && (value.Length > max || value.Any(char.IsControl))))
                {
                    throw ToolException.InvalidInput($"indicators[{index}].{name} is missing or invalid.");
                }

                return value ?? string.Empty;
            }

            var type = IndicatorValidator.Types.FirstOrDefault(t => string.Equals(t, Field("indicator_type", 40), StringComparison.OrdinalIgnoreCase)) ?? throw ToolException.InvalidInput($"indicators[{index}].indicator_type is not a known type.");
            var value = Field("value", 2048);
            if (IndicatorValidator.Problem(type, value) is { } problem)
            {
                throw ToolException.InvalidInput($"indicators[{index}].value is not a valid {type}: {problem}.");
            }

            var action = IndicatorValidator.Actions.FirstOrDefault(a => string.Equals(a, Field("action", 40), StringComparison.OrdinalIgnoreCase)) ?? throw ToolException.InvalidInput($"indicators[{index}].action is not a known action.");
            var indicator = new JsonObject { ["indicatorValue"] = value, ["indicatorType"] = type, ["action"] = action, ["title"] = Field("title", 200), ["description"] = Field("description", 1000) };
            if (Field("severity", 20, required: false) is { Length: > 0 } severity)
            {
                indicator["severity"] = severity;
            }

            items.Add(indicator);
            index++;
        }

        call.Arguments.Validated["indicators"] = items.DeepClone();
        return Task.FromResult(new WritePlan($"Import {items.Count} indicator(s)", $"{items.Count} indicators", $"{items.Count}", null, client.ImportIndicatorsRequest(items)));
    }
}
