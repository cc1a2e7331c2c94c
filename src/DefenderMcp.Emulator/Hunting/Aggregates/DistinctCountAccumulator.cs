namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary><c>dcount(x)</c>: exact distinct count of non-empty values (the service estimates; small sets agree).</summary>
internal sealed class DistinctCountAccumulator(Func<object?[], object?> value) : Accumulator
{
    private readonly HashSet<object> seen = [];

    public override void Add(object?[] row)
    {
        if (value(row) is { } v and not "")
        {
            seen.Add(v);
        }
    }

    public override void WriteTo(object?[] output, int offset) => output[offset] = (long)seen.Count;
}
