using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary><c>where predicate</c>.</summary>
internal sealed class WhereOperator(RowSchema schema, Func<object?[], bool> predicate) : QueryOperator(schema)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        foreach (var row in input)
        {
            if (predicate(row))
            {
                yield return row;
            }
        }
    }
}
