using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary><c>min(x)</c> / <c>max(x)</c> over non-null values.</summary>
internal sealed class ExtremeAccumulator(Func<object?[], object?> value, bool max) : Accumulator
{
    private object? best;

    public override void Add(object?[] row)
    {
        if (value(row) is not { } v)
        {
            return;
        }

        if (best is null || (KqlValues.Compare(v, best) is { } c && (max ? c > 0 : c < 0)))
        {
            best = v;
        }
    }

    public override void WriteTo(object?[] output, int offset) => output[offset] = best;
}
