using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
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
        ResultType = typeof(WriteResultOutput),
        InputSchema = Schema.Object(
            ["indicator_type", "value", "action", "title", "description"],
            [("indicator_type", Schema.Enum("The kind of value.", [.. IndicatorValidator.Types])),
             ("value", Schema.String("The hash, IP, URL, domain or thumbprint.", 2048)),
             ("action", Schema.Enum("What Defender does on a match.", [.. IndicatorValidator.Actions])),
             ("title", Schema.String("Short title.", 200)),
             ("description", Schema.String("Why this indicator exists.", 1000)),
             ("severity", Schema.Enum("Alert severity.", "Informational", "Low", "Medium", "High")),
             ("expiration", Schema.String("Expiry as an ISO-8601 date-time.", 40, format: "date-time")),
             .. CommonParameters]),
    };

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var a = call.Arguments;
        var type = a.OptionalEnum("indicator_type", IndicatorValidator.Types) ?? throw ToolException.InvalidInput("'indicator_type' is required.");
        var value = a.RequiredString("value", 2048);
        if (IndicatorValidator.Problem(type, value) is { } problem)
        {
            throw ToolException.InvalidInput($"'value' is not a valid {type}: {problem}.");
        }

        var action = a.OptionalEnum("action", IndicatorValidator.Actions) ?? throw ToolException.InvalidInput("'action' is required.");
        var indicator = new JsonObject
        {
            ["indicatorValue"] = value,
            ["indicatorType"] = type,
            ["action"] = action,
            ["title"] = a.RequiredString("title", 200),
            ["description"] = a.RequiredString("description", 1000),
            ["generateAlert"] = action is "Audit" or "Alert" or "AlertAndBlock",
        };
        if (a.OptionalEnum("severity", ["Informational", "Low", "Medium", "High"]) is { } severity)
        {
            indicator["severity"] = severity;
        }

        if (a.OptionalDateTime("expiration") is { } expiration)
        {
            if (expiration <= Services.Time.GetUtcNow())
            {
                throw ToolException.InvalidInput("'expiration' must be in the future.");
            }

            indicator["expirationTime"] = expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }

        return Task.FromResult(new WritePlan($"{action} {type}", value, value, (string)indicator["description"]!, client.AddIndicatorRequest(indicator)));
    }
}
