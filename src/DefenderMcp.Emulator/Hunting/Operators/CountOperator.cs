using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary><c>count</c>: one row, one long column named Count.</summary>
internal sealed class CountOperator() : QueryOperator(new RowSchema([new HuntingColumnSchema("Count", "long")]))
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var count = 0L;
        if (input is ICollection<object?[]> collection)
        {
            count = collection.Count;
        }
        else
        {
            using var rows = input.GetEnumerator();
            while (rows.MoveNext())
            {
                count++;
            }
        }

        yield return [count];
    }
}
