using System.Text.Json.Nodes;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary><c>run_saved_hunt</c>: runs a saved hunt, on its tenants or the ones given, with fan-out as usual.</summary>
public sealed class RunSavedHuntTool(ToolServices services) : DefenderTool(Spec, services)
{
    private static readonly ToolParameter MaxRows = ToolParameter.Integer("max_rows", "Rows to return (default 100, at most 1000).", 1, QueryAdvancedHuntingTool.MaxRowsLimit, QueryAdvancedHuntingTool.DefaultMaxRows);

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "run_saved_hunt",
        Title = "Run a saved hunt",
        Description = "Runs one saved hunt (see list_saved_hunts) through the KQL guard, on its default tenants or the given ones (\"*\" for all). Returns the same shape as query_advanced_hunting, with a result_id to page.",
        ReadOnly = true,
        Destructive = false,
        Idempotent = true,
        ResultType = typeof(HuntingQueryOutput),
        Parameters = [SavedHuntArguments.Name, SharedParameters.Tenants, MaxRows],
    };

    /// <inheritdoc />
    protected override Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var hunt = SavedHuntArguments.Hunt(call, Services.Hunts, GrantFor(call));
        var maxRows = call.Arguments.Integer(MaxRows);
        var run = HuntingRun.Prepare(hunt.Query, HuntingTimespan.Parse(hunt.Timespan));
        call.Arguments.Validated["query"] = hunt.Query;
        var executor = new HuntingExecutor(Services.ResultCache);
        return RunReadAsync(
            call,
            async (tenant, client, count, ct) =>
            {
                var output = await executor.RunAsync(tenant, client, run, maxRows, QueryAdvancedHuntingTool.TenantBudget(Services.Settings.HuntingByteBudget, count), ct).ConfigureAwait(false);
                call.Count("rows", output.RowCount);
                return ToJson(output);
            },
            cancellationToken,
            hunt.Tenants);
    }
}
