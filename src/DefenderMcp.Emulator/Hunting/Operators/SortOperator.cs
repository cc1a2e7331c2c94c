using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary><c>sort by</c> / <c>order by</c>, and <c>top N by</c> when <paramref name="limit"/> is set. Stable.</summary>
internal sealed class SortOperator(RowSchema schema, SortKey[] keys, long? limit) : QueryOperator(schema)
{
    private const int SmallTop = 1_000;

    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        if (limit is <= 0)
        {
            yield break;
        }

        var entries = limit is { } small && small <= SmallTop ? Best(input, (int)small) : All(input);
        var count = limit is { } n ? (int)Math.Min(n, entries.Count) : entries.Count;
        for (var i = 0; i < count; i++)
        {
            yield return entries[i].Row;
        }
    }

    private List<(object?[] Keys, object?[] Row, int Order)> All(IEnumerable<object?[]> input)
    {
        // Keys are computed once per row, not once per comparison.
        var entries = new List<(object?[] Keys, object?[] Row, int Order)>();
        foreach (var row in input)
        {
            entries.Add((KeysOf(row, new object?[keys.Length]), row, entries.Count));
        }

        entries.Sort(Compare);
        return entries;
    }

    /// <summary><c>top N</c> with a small N: keeps only the best N rows, sorted, instead of sorting everything.</summary>
    private List<(object?[] Keys, object?[] Row, int Order)> Best(IEnumerable<object?[]> input, int size)
    {
        var best = new List<(object?[] Keys, object?[] Row, int Order)>(size + 1);
        var scratch = new object?[keys.Length];
        var comparer = Comparer<(object?[] Keys, object?[] Row, int Order)>.Create(Compare);
        var order = 0;
        foreach (var row in input)
        {
            var candidate = (KeysOf(row, scratch), row, order++);
            if (best.Count == size && Compare(candidate, best[^1]) >= 0)
            {
                continue;
            }

            var index = best.BinarySearch(candidate, comparer);
            best.Insert(index < 0 ? ~index : index, ((object?[])scratch.Clone(), row, candidate.Item3));
            if (best.Count > size)
            {
                best.RemoveAt(size);
            }
        }

        return best;
    }

    private object?[] KeysOf(object?[] row, object?[] values)
    {
        for (var k = 0; k < keys.Length; k++)
        {
            values[k] = keys[k].Eval(row);
        }

        return values;
    }
    private int Compare((object?[] Keys, object?[] Row, int Order) a, (object?[] Keys, object?[] Row, int Order) b)
    {
        for (var k = 0; k < keys.Length; k++)
        {
            var (x, y) = (a.Keys[k], b.Keys[k]);
            int c;
            if (x is null || y is null)
            {
                c = (x is null) == (y is null) ? 0 : ((x is null) == keys[k].NullsFirst ? -1 : 1);
            }
            else
            {
                c = KqlValues.Compare(x, y) ?? 0;
                c = keys[k].Descending ? -c : c;
            }

            if (c != 0)
            {
                return c;
            }
        }

        return a.Order.CompareTo(b.Order);
    }
}
