using DefenderMcp.Emulator.Hunting.Aggregates;
using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>
/// <c>summarize aggregations by keys</c>: one output row per distinct key (first-seen order): the keys, then each
/// aggregation's cells at <paramref name="offsets"/>. With no keys there is always exactly one row.
/// </summary>
internal sealed class SummarizeOperator(RowSchema output, Func<object?[], object?>[] keys, AggregateSpec[] aggregates, int[] offsets) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var groups = new Dictionary<object?[], Accumulator[]>(RowKeyComparer.Instance);
        var order = new List<(object?[] Key, Accumulator[] State)>();
        var scratch = new object?[keys.Length];
        foreach (var row in input)
        {
            for (var k = 0; k < keys.Length; k++)
            {
                scratch[k] = keys[k](row);
            }

            if (!groups.TryGetValue(scratch, out var state))
            {
                // The scratch key is reused for lookups; only new groups get their own copy.
                var key = (object?[])scratch.Clone();
                state = Create();
                groups.Add(key, state);
                order.Add((key, state));
            }

            foreach (var accumulator in state)
            {
                accumulator.Add(row);
            }
        }

        if (keys.Length == 0 && order.Count == 0)
        {
            order.Add(([], Create()));
        }

        foreach (var (key, state) in order)
        {
            var result = new object?[Output.Count];
            Array.Copy(key, result, key.Length);
            for (var a = 0; a < state.Length; a++)
            {
                state[a].WriteTo(result, offsets[a]);
            }

            yield return result;
        }
    }

    private Accumulator[] Create()
    {
        var state = new Accumulator[aggregates.Length];
        for (var a = 0; a < aggregates.Length; a++)
        {
            state[a] = aggregates[a].Create();
        }

        return state;
    }
}
