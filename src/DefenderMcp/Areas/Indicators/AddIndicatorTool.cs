using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.Indicators;

/// <summary><c>add_indicator</c>: submits a custom indicator (block or alert on a hash, IP, URL, domain or certificate).</summary>
public sealed class AddIndicatorTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "add_indicator",
        Title = "Add an indicator",
        Description = "Submits (or updates) a Defender for Endpoint custom indicator: a file hash, IP, URL, domain or certificate thumbprint, with an action such as Block or Alert. Values are validated by type. Confirmed by a person.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(WriteResult),
        InputSchema = Schema.Object(
            ["indicator_type", "value", "action", "title", "description"],
            [("indicator_type", Schema.Enum("The kind of value.", [.. IndicatorRules.Types])),
             ("value", Schema.String("The hash, IP, URL, domain or thumbprint.", IndicatorRules.MaxValueLength)),
             ("action", Schema.Enum("What Defender does on a match (Warn: Defender for Cloud Apps only). The retired Alert and AlertAndBlock are refused: use Audit, or Block with generate_alert: true.", [.. IndicatorRules.Actions])),
             ("title", Schema.String("Short title.", IndicatorRules.MaxTitleLength)),
             ("description", Schema.String("Why this indicator exists.", IndicatorRules.MaxDescriptionLength)),
             ("severity", Schema.Enum("Alert severity.", [.. IndicatorRules.Severities])),
             ("expiration", Schema.String("Expiry as an ISO-8601 date-time.", 40, format: "date-time")),
             ("generate_alert", Schema.Boolean("Raise an alert on a match (default: true for Audit, which requires it; false otherwise).", false)),
             .. CommonParameters]),
    };

    /// <summary>How a stored indicator is reported.</summary>
    public static WriteResult Shape(Indicator indicator, WriteResult sent)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(sent);
        return sent with { Indicator = new IndicatorResult(indicator.Id, indicator.IndicatorValue, indicator.IndicatorType, indicator.Action, indicator.ExpirationTime) };
    }

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var type = a.OptionalEnum("indicator_type", IndicatorRules.Types) ?? throw ToolException.InvalidInput("'indicator_type' is required.");
        var value = a.RequiredString("value", IndicatorRules.MaxValueLength);
        if (IndicatorRules.Problem(type, value) is { } problem)
        {
            throw ToolException.InvalidInput($"'value' is not a valid {type}: {problem}.");
        }

        var action = IndicatorRules.Retired(a.OptionalString("action", 40, audit: false)) is { } retired
            ? throw ToolException.InvalidInput(retired)
            : a.OptionalEnum("action", IndicatorRules.Actions) ?? throw ToolException.InvalidInput("'action' is required.");
        var title = a.RequiredString("title", IndicatorRules.MaxTitleLength);
        var description = a.RequiredString("description", IndicatorRules.MaxDescriptionLength);
        var severity = a.OptionalEnum("severity", IndicatorRules.Severities);
        var expiration = a.OptionalDateTime("expiration");
        if (expiration is { } expires && expires <= Services.Time.GetUtcNow())
        {
            throw ToolException.InvalidInput("'expiration' must be in the future.");
        }

        // Without generate_alert the client's rule decides (true for Audit, which requires it).
        var generateAlert = a.Has("generate_alert") ? a.Boolean("generate_alert", false) : (bool?)null;
        var request = client.AddIndicator(new IndicatorRequest { IndicatorValue = value, IndicatorType = type, Action = action, Title = title, Description = description, Severity = severity, ExpirationTime = expiration, GenerateAlert = generateAlert });
        return Task.FromResult(WritePlan.Of($"{action} {type}", value, value, description, request, Shape));
    }
}
