using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary><c>arg_max(key, cols)</c> / <c>arg_min(key, cols)</c>: the key's extreme and the other columns of that row.</summary>
internal sealed class ArgExtremeAccumulator(Func<object?[], object?> key, Func<object?[], object?>[] columns, bool max) : Accumulator
{
    private object? bestKey;
    private object?[]? bestRow;

    public override void Add(object?[] row)
    {
        if (key(row) is not { } k)
        {
            return;
        }

        if (bestKey is null || (KqlValues.Compare(k, bestKey) is { } c && (max ? c > 0 : c < 0)))
        {
            bestKey = k;
            bestRow = row;
        }
    }

    public override void WriteTo(object?[] output, int offset)
    {
        output[offset] = bestKey;
        for (var i = 0; i < columns.Length; i++)
        {
            output[offset + 1 + i] = bestRow is null ? null : columns[i](bestRow);
        }
    }
}
