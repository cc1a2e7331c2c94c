namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary><c>take_any(x)</c>: the first non-empty value seen.</summary>
internal sealed class AnyAccumulator(Func<object?[], object?> value) : Accumulator
{
    private object? found;

    public override void Add(object?[] row)
    {
        if (found is null && value(row) is { } v and not "")
        {
            found = v;
        }
    }

    public override void WriteTo(object?[] output, int offset) => output[offset] = found;
}
