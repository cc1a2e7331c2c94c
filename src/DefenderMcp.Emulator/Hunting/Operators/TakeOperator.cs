using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary><c>take N</c> / <c>limit N</c>: stops reading its input after N rows.</summary>
internal sealed class TakeOperator(RowSchema schema, long count) : QueryOperator(schema)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        if (count <= 0)
        {
            yield break;
        }

        var taken = 0L;
        foreach (var row in input)
        {
            yield return row;
            if (++taken >= count)
            {
                yield break;
            }
        }
    }
}
