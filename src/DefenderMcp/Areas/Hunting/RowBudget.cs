namespace DefenderMcp.Areas.Hunting;

/// <summary>
/// Fits rows into a byte budget. Rows are already compact JSON, so the size of a prefix of rows is the sum of their
/// lengths plus separators: prefix sums and a binary search, with no serialize-and-retry.
/// </summary>
public static class RowBudget
{
    /// <summary>How many of <paramref name="rows"/> (from the first) fit within <paramref name="byteBudget"/> and <paramref name="maxRows"/>.</summary>
    public static int Fit(IReadOnlyList<ReadOnlyMemory<byte>> rows, int maxRows, int byteBudget)
    {
        var limit = Math.Min(rows.Count, maxRows);
        // prefix[k] = bytes of a JSON array holding the first k rows.
        var prefix = new long[limit + 1];
        prefix[0] = 2;
        for (var i = 0; i < limit; i++)
        {
            prefix[i + 1] = prefix[i] + rows[i].Length + (i > 0 ? 1 : 0);
        }

        int lo = 0, hi = limit;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (prefix[mid] <= byteBudget)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }
}
