namespace DefenderMcp.Emulator.Hunting.Aggregates;

/// <summary><c>sum(x)</c> (long over integers, real otherwise) and <c>avg(x)</c> (always real).</summary>
internal sealed class SumAccumulator(Func<object?[], object?> value, bool integral, bool average) : Accumulator
{
    private long longSum;
    private double realSum;
    private long count;

    public override void Add(object?[] row)
    {
        switch (value(row))
        {
            case long l:
                longSum = unchecked(longSum + l);
                realSum += l;
                count++;
                break;
            case int i:
                longSum = unchecked(longSum + i);
                realSum += i;
                count++;
                break;
            case double d:
                realSum += d;
                count++;
                break;
        }
    }

    public override void WriteTo(object?[] output, int offset) => output[offset] =
        average ? (count == 0 ? null : realSum / count) : integral ? (object)longSum : realSum;
}
