using DefenderMcp.Client;
using DefenderMcp.Configuration;

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
        var result = await client.RunHuntingQueryAsync(run.Query, run.Timespan.Iso, cancellationToken).ConfigureAwait(false);
        var cached = cache.Add(tenant.Key, run.Query, run.Timespan.Iso, result);
        var page = RowPager.Page(result, 0, maxRows, null, byteBudget);
        var truncated = page.Rows.Count < result.Rows.Count;
        return new HuntingQueryOutput(
            tenant.Key,
            run.Timespan.Iso,
            [.. result.Schema.Select(c => new HuntingColumnOutput(c.Name, c.Type))],
            page.Rows,
            result.Rows.Count,
            page.Rows.Count,
            truncated,
            !truncated ? null : page.StoppedByBudget ? "byte_budget" : "max_rows",
            run.Warnings,
            run.Notices,
            result.BodyBytes,
            cached?.ResultId);
    }
}
