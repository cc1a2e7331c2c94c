using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.Indicators;

/// <summary><c>remove_indicators</c>: deletes custom indicators by id.</summary>
public sealed class RemoveIndicatorTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary><c>indicator_ids</c>: Defender's numeric indicator ids.</summary>
    public static ToolParameter IndicatorIds { get; } = ToolParameter.StringList("indicator_ids", "Indicator ids.", 500, 20, "^[0-9]{1,20}$").AsRequired();

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
        Parameters = [IndicatorIds, .. WriteParameters],
    };

    /// <inheritdoc />
    protected override string CheckAfterFailure => "list_indicators shows which of the indicators are still there";

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var ids = call.Arguments.RequiredStringList(IndicatorIds);
        var request = client.DeleteIndicators(ids);
        var names = await IndicatorNames.DescribeAsync(client, ids, tenant.Key, cancellationToken).ConfigureAwait(false);
        var more = names.Count > 20 ? $"; and {names.Count - 20} more" : string.Empty;
        return WritePlan.Of($"Delete {ids.Count} indicator(s)", string.Join("; ", names.Take(20)) + more, string.Join(",", ids.Take(20)), null, request, (deleted, sent) => sent with { DeletedIds = deleted });
    }
}
