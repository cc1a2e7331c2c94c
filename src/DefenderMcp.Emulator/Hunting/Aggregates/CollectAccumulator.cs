using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary>
/// <c>make_set(x [, max])</c> and <c>make_list(x [, max])</c>, and their <c>_if</c> forms when a predicate is given: a
/// JSON array of non-null values, in first-seen order.
/// </summary>
internal sealed class CollectAccumulator(Func<object?[], object?> value, Func<object?[], bool>? predicate, int limit, bool distinct, bool valuesAreJson) : Accumulator
{
    private readonly List<object> values = [];
    private readonly HashSet<object>? seen = distinct ? [] : null;

    public override void Add(object?[] row)
    {
        if (values.Count >= limit || (predicate is not null && !predicate(row)) || value(row) is not { } v || v is "")
        {
            return;
        }

        if (seen is null || seen.Add(v))
        {
            values.Add(v);
        }
    }

    public override void WriteTo(object?[] output, int offset) => output[offset] = DynamicJson.Array(values, valuesAreJson);
}
