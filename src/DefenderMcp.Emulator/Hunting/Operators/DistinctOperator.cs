using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary><c>distinct col, ...</c>: the first occurrence of each combination, in input order.</summary>
internal sealed class DistinctOperator(RowSchema output, int[] sources) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var seen = new HashSet<object?[]>(RowKeyComparer.Instance);
        foreach (var row in input)
        {
            var key = new object?[sources.Length];
            for (var i = 0; i < sources.Length; i++)
            {
                key[i] = row[sources[i]];
            }

            if (seen.Add(key))
            {
                yield return key;
            }
        }
    }
}
