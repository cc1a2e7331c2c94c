using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>
/// <c>union</c>: the rows of each leg in turn (lazily, so <c>take</c> stops early), each copied into the shared output
/// columns; a cell the leg lacks is empty, and <paramref name="sourceColumn"/> (when not -1) gets the leg's name.
/// </summary>
internal sealed class UnionOperator(RowSchema output, UnionLeg[] legs, int sourceColumn) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input) => Concat(input);

    /// <summary>The union's rows; <paramref name="input"/> feeds the leg without a source of its own (the piped one).</summary>
    public IEnumerable<object?[]> Concat(IEnumerable<object?[]>? input)
    {
        var width = Output.Count;
        foreach (var leg in legs)
        {
            var rows = leg.Open?.Invoke() ?? input ?? [];
            foreach (var row in rows)
            {
                if (leg.Identity)
                {
                    yield return row;
                    continue;
                }

                var result = new object?[width];
                for (var j = 0; j < leg.Map.Length; j++)
                {
                    if (leg.Map[j] >= 0)
                    {
                        result[leg.Map[j]] = row[j];
                    }
                }

                if (sourceColumn >= 0)
                {
                    result[sourceColumn] = leg.Name;
                }

                yield return result;
            }
        }
    }
}
