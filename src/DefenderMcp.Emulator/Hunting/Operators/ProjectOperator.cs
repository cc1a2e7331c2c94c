using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>
/// <c>project</c>, <c>project-away</c>, <c>project-rename</c>: each output cell is a copied input cell
/// (<paramref name="sources"/>[i] ≥ 0) or a computed value (<paramref name="computed"/>[i]).
/// </summary>
internal sealed class ProjectOperator(RowSchema output, int[] sources, Func<object?[], object?>?[] computed) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var width = sources.Length;
        if (Array.TrueForAll(computed, c => c is null))
        {
            // Only copies (the common "project A, B, C" shape): no delegate checks per cell.
            foreach (var row in input)
            {
                var copy = new object?[width];
                for (var i = 0; i < width; i++)
                {
                    copy[i] = row[sources[i]];
                }

                yield return copy;
            }

            yield break;
        }

        foreach (var row in input)
        {
            var result = new object?[width];
            for (var i = 0; i < width; i++)
            {
                result[i] = computed[i] is { } eval ? eval(row) : row[sources[i]];
            }

            yield return result;
        }
    }
}
