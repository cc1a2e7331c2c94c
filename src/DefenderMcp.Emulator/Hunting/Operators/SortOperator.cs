using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary><c>sort by</c> / <c>order by</c>, and <c>top N by</c> when <paramref name="limit"/> is set. Stable.</summary>
internal sealed class SortOperator(RowSchema schema, SortKey[] keys, long? limit) : QueryOperator(schema)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        if (limit is <= 0)
        {
            yield break;
        }

        // Keys are computed once per row, not once per comparison.
        var entries = new List<(object?[] Keys, object?[] Row, int Order)>();
        foreach (var row in input)
        {
            var values = new object?[keys.Length];
            for (var k = 0; k < keys.Length; k++)
            {
                values[k] = keys[k].Eval(row);
            }

            entries.Add((values, row, entries.Count));
        }

        entries.Sort(Compare);
        var count = limit is { } n ? (int)Math.Min(n, entries.Count) : entries.Count;
        for (var i = 0; i < count; i++)
        {
            yield return entries[i].Row;
        }
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
