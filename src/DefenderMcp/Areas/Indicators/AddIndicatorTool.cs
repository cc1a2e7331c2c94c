using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.Indicators;

/// <summary><c>add_indicator</c>: submits a custom indicator (block or alert on a hash, IP, URL, domain or certificate).</summary>
public sealed class AddIndicatorTool(ToolServices services) : WriteTool(Spec, services)
{
    private static readonly ToolParameter IndicatorType = ToolParameter.Enum("indicator_type", "The kind of value.", IndicatorRules.Types).AsRequired();
    private static readonly ToolParameter Value = ToolParameter.String("value", "The hash, IP, URL, domain or thumbprint.", IndicatorRules.MaxValueLength).AsRequired();
    private static readonly ToolParameter Action = ToolParameter.Enum("action", "What Defender does on a match (Warn: Defender for Cloud Apps only). The retired Alert and AlertAndBlock are refused: use Audit, or Block with generate_alert: true.", IndicatorRules.Actions).AsRequired();
    private static readonly ToolParameter Title = ToolParameter.String("title", "Short title.", IndicatorRules.MaxTitleLength).AsRequired();
    private static readonly ToolParameter Description = ToolParameter.String("description", "Why this indicator exists.", IndicatorRules.MaxDescriptionLength).AsRequired();
    private static readonly ToolParameter Severity = ToolParameter.Enum("severity", "Alert severity.", IndicatorRules.Severities);
    private static readonly ToolParameter Expiration = ToolParameter.DateTime("expiration", "Expiry as an ISO-8601 date-time.");
    private static readonly ToolParameter GenerateAlert = ToolParameter.Boolean("generate_alert", "Raise an alert on a match (default: true for Audit, which requires it; false otherwise).");

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
        Parameters = [IndicatorType, Value, Action, Title, Description, Severity, Expiration, GenerateAlert, .. WriteParameters],
    };

    /// <summary>How a stored indicator is reported.</summary>
    public static WriteResult Shape(Indicator indicator, WriteResult sent)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(sent);
        return sent with { Indicator = new IndicatorResult(indicator.Id, indicator.IndicatorValue, indicator.IndicatorType, indicator.Action, indicator.ExpirationTime) };
    }

    /// <inheritdoc />
    protected override string CheckAfterFailure => "list_indicators shows whether the indicator exists now";

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var type = a.RequiredEnum(IndicatorType);
        var value = a.RequiredString(Value);
        if (IndicatorRules.Problem(type, value) is { } problem)
        {
            throw ToolException.InvalidInput($"'value' is not a valid {type}: {problem}.");
        }

        var action = IndicatorRules.Retired(a.OptionalString(Action.Name, 40, audit: false)) is { } retired
            ? throw ToolException.InvalidInput(retired)
            : a.RequiredEnum(Action);
        var title = a.RequiredString(Title);
        var description = CommentAttribution.Given(a.RequiredString(Description), call.CommentCaller, IndicatorRules.MaxDescriptionLength, Description.Name);
        var severity = a.OptionalEnum(Severity);
        var expiration = a.OptionalDateTime(Expiration);
        if (expiration is { } expires && expires <= Services.Time.GetUtcNow())
        {
            throw ToolException.InvalidInput("'expiration' must be in the future.");
        }

        // Without generate_alert the client's rule decides (true for Audit, which requires it).
        var generateAlert = a.Has(GenerateAlert.Name) ? a.Boolean(GenerateAlert) : (bool?)null;
        var request = client.AddIndicator(new IndicatorRequest { IndicatorValue = value, IndicatorType = type, Action = action, Title = title, Description = description, Severity = severity, ExpirationTime = expiration, GenerateAlert = generateAlert });
        return Task.FromResult(WritePlan.Of($"{action} {type}", value, value, description, request, Shape));
    }
}
