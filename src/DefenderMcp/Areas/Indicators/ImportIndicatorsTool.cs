using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.Indicators;

/// <summary><c>import_indicators</c>: submits up to 500 indicators at once, each validated by type.</summary>
public sealed class ImportIndicatorsTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>Most indicators per import (the API's limit).</summary>
    public const int MaxItems = IndicatorRules.MaxBatch;

    // A list of objects: the reader below checks each item against the same rules as add_indicator.
    private static readonly ToolParameter Indicators = ToolParameter.Custom("indicators", () => new JsonObject
    {
        ["type"] = "array",
        ["description"] = "Indicators: {indicator_type, value, action, title, description, severity?}.",
        ["minItems"] = 1,
        ["maxItems"] = MaxItems,
        ["items"] = Schema.Object(
            ["indicator_type", "value", "action", "title", "description"],
            ("indicator_type", Schema.Enum("Kind of value.", [.. IndicatorRules.Types])),
            ("value", Schema.String("The value.", IndicatorRules.MaxValueLength)),
            ("action", Schema.Enum("Action.", [.. IndicatorRules.Actions])),
            ("title", Schema.String("Title.", IndicatorRules.MaxTitleLength)),
            ("description", Schema.String("Description.", IndicatorRules.MaxDescriptionLength)),
            ("severity", Schema.Enum("Severity.", [.. IndicatorRules.Severities]))),
        }).AsRequired();

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
        ResultType = typeof(WriteResult),
        Parameters = [Indicators, .. WriteParameters],
    };

    /// <inheritdoc />
    protected override string CheckAfterFailure => "list_indicators shows which of the indicators exist now";

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        if (call.Arguments.Raw("indicators") is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() is 0 or > MaxItems)
        {
            throw ToolException.InvalidInput($"'indicators' must be a list of 1 to {MaxItems} indicators.");
        }

        var items = new List<IndicatorRequest>();
        var audited = new JsonArray();
        foreach (var item in list.EnumerateArray())
        {
            var index = items.Count;
            string Field(string name, int max, bool required = true)
            {
                var value = item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : null;
                if ((required && string.IsNullOrEmpty(value)) || (value is not null && (value.Length > max || value.Any(char.IsControl))))
                {
                    throw ToolException.InvalidInput($"indicators[{index}].{name} is missing or invalid.");
                }

                return value ?? string.Empty;
            }

            var type = Known(IndicatorRules.Types, Field("indicator_type", 40)) ?? throw ToolException.InvalidInput($"indicators[{index}].indicator_type is not a known type.");
            var value = Field("value", IndicatorRules.MaxValueLength);
            if (IndicatorRules.Problem(type, value) is { } problem)
            {
                throw ToolException.InvalidInput($"indicators[{index}].value is not a valid {type}: {problem}.");
            }

            var named = Field("action", 40);
            var action = IndicatorRules.Retired(named) is { } retired
                ? throw ToolException.InvalidInput($"indicators[{index}]: {retired}")
                : Known(IndicatorRules.Actions, named) ?? throw ToolException.InvalidInput($"indicators[{index}].action is not a known action.");
            var severity = Field("severity", 20, required: false) is { Length: > 0 } given
                ? Known(IndicatorRules.Severities, given) ?? throw ToolException.InvalidInput($"indicators[{index}].severity is not a known severity.")
                : null;

            // No generate_alert parameter: the client's rule decides it from each action.
            var indicator = new IndicatorRequest { IndicatorValue = value, IndicatorType = type, Action = action, Title = Field("title", IndicatorRules.MaxTitleLength), Description = Field("description", IndicatorRules.MaxDescriptionLength), Severity = severity };
            items.Add(indicator with { Description = CommentAttribution.Given(indicator.Description, call.CommentCaller, IndicatorRules.MaxDescriptionLength, $"indicators[{index}].description") });
            audited.Add(new JsonObject { ["indicator_type"] = type, ["value"] = value, ["action"] = action, ["title"] = indicator.Title, ["description"] = indicator.Description, ["severity"] = severity });
        }

        call.Arguments.Validated["indicators"] = audited;
        // The person confirming sees what each indicator does: an Allowed hash reads very differently from a Block.
        var summary = string.Join("; ", items.Take(20).Select(i => $"{i.Action} {i.IndicatorType} {i.IndicatorValue}")) + (items.Count > 20 ? $"; and {items.Count - 20} more" : string.Empty);
        return Task.FromResult(WritePlan.Of(
            $"Import {items.Count} indicator(s)",
            summary,
            $"{items.Count}",
            null,
            client.ImportIndicators(items),
            (results, sent) => sent with { Indicators = [.. results.Select(r => new ImportedIndicatorResult(r.Id, r.IndicatorValue, r.IsFailed, Text.Clip(r.FailureReason, 500)))] }));
    }

    private static string? Known(IReadOnlyList<string> allowed, string value) => allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
}
