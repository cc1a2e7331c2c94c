namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary>
/// <c>dcount(x)</c>, and <c>dcountif(x, predicate)</c> when a predicate is given: exact distinct count of non-empty
/// values (the service estimates; small sets agree).
/// </summary>
internal sealed class DistinctCountAccumulator(Func<object?[], object?> value, Func<object?[], bool>? predicate) : Accumulator
{
    private readonly HashSet<object> seen = [];

    public override void Add(object?[] row)
    {
        if ((predicate is null || predicate(row)) && value(row) is { } v and not "")
        {
            seen.Add(v);
        }
    }

    public override void WriteTo(object?[] output, int offset) => output[offset] = (long)seen.Count;
}
