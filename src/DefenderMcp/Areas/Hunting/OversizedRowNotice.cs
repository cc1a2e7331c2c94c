using System.Globalization;

namespace DefenderMcp.Areas.Hunting;

/// <summary>
/// The notice of a page that skipped rows too large for its byte budget: which rows, where the returned ones start,
/// and how to read the skipped ones, so an empty or short page is never left unexplained.
/// </summary>
public static class OversizedRowNotice
{
    /// <summary>The notice for <paramref name="page"/>, or null when it skipped nothing.</summary>
    /// <param name="page">The page cut within <paramref name="byteBudget"/>.</param>
    /// <param name="byteBudget">The budget the page was cut to.</param>
    /// <param name="resultId">The cached result's handle, or null when the result was too large to keep.</param>
    public static string? For(RowPage page, int byteBudget, string? resultId)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Skipped.Count == 0)
        {
            return null;
        }

        var first = page.Skipped[0].Offset;
        var one = page.Skipped.Count == 1;
        var which = one
            ? $"Row {first} alone is {Number(page.Skipped[0].Bytes)} bytes as JSON"
            : $"Rows {first} to {page.Skipped[^1].Offset} are each too large alone (the largest {Number(page.Skipped.Max(s => s.Bytes))} bytes as JSON)";
        var rest = page.Rows.Count > 0
            ? $"the rows returned start at offset {first + page.Skipped.Count}"
            : "no other row is returned";
        var next = page.NextOffset is { } n ? $"the next page starts at offset {n}" : "no rows follow";
        var read = resultId is null
            ? " The result was too large to keep, so it cannot be paged: run the query again projecting fewer or shorter columns (for example make_list(x, 100) instead of a whole list)."
            : $" To read {(one ? "it" : "them")}: get_hunting_results (result_id {resultId}, offset {first}) with 'columns' naming fewer columns, or the resource defender://results/{resultId}, which returns the whole result.";
        return $"{which}, more than the {Number(byteBudget)}-byte budget of a page, so {(one ? "it was" : "they were")} left out; {rest}; {next}.{read}";
    }

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
