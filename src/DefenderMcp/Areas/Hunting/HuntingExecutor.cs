using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Hunting;

/// <summary>Runs a prepared hunt on one tenant: calls the API, caches the full result, and shapes a first page.</summary>
public sealed class HuntingExecutor(HuntingResultCache cache)
{
    /// <summary>The shaped result of <paramref name="run"/> on <paramref name="tenant"/>, at most <paramref name="maxRows"/> rows within <paramref name="byteBudget"/>.</summary>
    public async Task<HuntingQueryOutput> RunAsync(
        TenantSettings tenant,
        DefenderClient client,
        HuntingRun run,
        int maxRows,
        int byteBudget,
        CancellationToken cancellationToken)
    {
        HuntingResult result;
        try
        {
            result = await client.RunHuntingQueryAsync(run.Query, run.Timespan.Iso, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.InvalidInput)
        {
            throw Rejected(ex, run);
        }

        var cached = await cache.AddAsync(tenant.Key, run.Query, run.Timespan.Iso, result, cancellationToken).ConfigureAwait(false);
        var page = RowPager.Page(result, 0, maxRows, null, byteBudget);
        var truncated = page.Rows.Count < result.Rows.Count;
        // A first row too large for the budget is skipped, never silently: the notice names it and how to read it.
        var notice = OversizedRowNotice.For(page, byteBudget, cached?.ResultId);
        return new HuntingQueryOutput(
            tenant.Key,
            run.Timespan.Iso,
            [.. result.Schema.Select(c => new HuntingColumnOutput(c.Name, c.Type))],
            page.Rows,
            result.Rows.Count,
            page.Rows.Count,
            truncated,
            !truncated ? null : page.StoppedByBudget || page.Skipped.Count > 0 ? "byte_budget" : "max_rows",
            run.Warnings,
            notice is null ? run.Notices : [.. run.Notices, notice],
            result.BodyBytes,
            cached?.ResultId,
            new HuntingMetadata(result.Rows.Count, result.Schema.Count, run.Timespan.Iso));
    }

    /// <summary>
    /// The service's rejection, with the guard's "did you mean" warnings when it has any: a typo in a table or column
    /// name is the most common reason, and the suggestion is what the model needs to fix it.
    /// </summary>
    public static ToolException Rejected(DefenderApiException rejection, HuntingRun run)
    {
        var suggestions = run.Warnings.Where(w => w.Contains("Did you mean", StringComparison.Ordinal)).ToList();
        var message = suggestions.Count == 0
            ? $"{rejection.Message.TrimEnd().TrimEnd('.')}. Fix the query as the reason says; get_hunting_schema lists the tables and their columns."
            : $"{rejection.Message} Guard suggestions: {string.Join(" ", suggestions)}";
        return new ToolException(ErrorCodes.QueryFailed, message);
    }
}
