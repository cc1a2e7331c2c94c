using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary><c>T | search predicate</c>: the matching rows, with the <c>$table</c> column (<paramref name="table"/>) first.</summary>
internal sealed class SearchOperator(RowSchema output, string table, Func<object?[], bool> predicate) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var width = Output.Count;
        foreach (var row in input)
        {
            if (!predicate(row))
            {
                continue;
            }

            var result = new object?[width];
            result[0] = table;
            Array.Copy(row, 0, result, 1, Math.Min(row.Length, width - 1));
            yield return result;
        }
    }
}
