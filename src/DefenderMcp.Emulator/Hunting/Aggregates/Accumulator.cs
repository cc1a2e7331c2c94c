namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary>The running state of one aggregation for one group.</summary>
internal abstract class Accumulator
{
    /// <summary>Folds one input row in.</summary>
    public abstract void Add(object?[] row);

    /// <summary>Writes the result cells starting at <paramref name="offset"/> of an output row.</summary>
    public abstract void WriteTo(object?[] output, int offset);
}
