using System.Text.RegularExpressions;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.Indicators;

/// <summary><c>remove_indicators</c>: deletes custom indicators by id.</summary>
public sealed partial class RemoveIndicatorTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "remove_indicators",
        Title = "Remove indicators",
        Description = "Deletes custom indicators by id (see list_indicators); up to 500 at once. Confirmed by a person before it runs.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = true,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(WriteResult),
        InputSchema = Schema.Object(["indicator_ids"], [("indicator_ids", Schema.StringArray("Indicator ids.", 500, 20)), .. CommonParameters]),
    };

    [GeneratedRegex("^[0-9]{1,20}$")]
    private static partial Regex IdPattern();

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var ids = call.Arguments.OptionalStringList("indicator_ids", 500, 20, IdPattern()) ?? throw ToolException.InvalidInput("'indicator_ids' is required.");
        return Task.FromResult(WritePlan.Of($"Delete {ids.Count} indicator(s)", string.Join(", ", ids.Take(20)), string.Join(",", ids.Take(20)), null, client.DeleteIndicators(ids), (deleted, sent) => sent with { DeletedIds = deleted }));
    }
}
