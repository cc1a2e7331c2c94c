namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary><c>count()</c>, and <c>countif(predicate)</c> when a predicate is given.</summary>
internal sealed class CountAccumulator(Func<object?[], bool>? predicate) : Accumulator
{
    private long count;

    public override void Add(object?[] row)
    {
        if (predicate is null || predicate(row))
        {
            count++;
        }
    }

    public override void WriteTo(object?[] output, int offset) => output[offset] = count;
}
