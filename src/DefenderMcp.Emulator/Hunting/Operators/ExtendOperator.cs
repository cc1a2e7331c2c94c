using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>
/// <c>extend</c>: copies the input row into a wider row, then computes each target in order over the new row,
/// so a later expression sees columns defined earlier in the same <c>extend</c>.
/// </summary>
internal sealed class ExtendOperator(RowSchema output, int[] targets, Func<object?[], object?>[] computed) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var width = Output.Count;
        foreach (var row in input)
        {
            var result = new object?[width];
            Array.Copy(row, result, Math.Min(row.Length, width));
            for (var i = 0; i < targets.Length; i++)
            {
                result[targets[i]] = computed[i](result);
            }

            yield return result;
        }
    }
}
