using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>
/// <c>join</c> and <c>lookup</c> as a hash join: the right side is read once into memory (at most
/// <paramref name="maxBuildRows"/> rows, else a 400 naming the cap) and indexed by key, then the left side streams, so
/// <c>take</c> after a join still stops reading the left early. Output rows are the left cells followed by the right
/// cells at <paramref name="rightColumns"/> (semi and anti joins return one side's rows as they are).
/// </summary>
/// <remarks>
/// Order is deterministic: left rows in input order, each followed by its matches in right order; unmatched right rows
/// (right outer, full outer, right semi and anti) come after the left side is exhausted, in right order.
/// </remarks>
internal sealed class JoinOperator(RowSchema output, TabularSource right, JoinKey[] keys, JoinKind kind, int[] rightColumns, int maxBuildRows, string name) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var (rows, index) = Build();
        var matched = kind is JoinKind.RightOuter or JoinKind.FullOuter or JoinKind.RightSemi or JoinKind.RightAnti ? new bool[rows.Count] : null;
        var seenLeft = kind == JoinKind.InnerUnique ? new HashSet<object?[]>(RowKeyComparer.Instance) : null;
        var scratch = new object?[keys.Length];
        var leftWidth = kind is JoinKind.RightSemi or JoinKind.RightAnti ? 0 : Output.Count - rightColumns.Length;
        foreach (var left in input)
        {
            var hasKey = KeyOf(left, isLeft: true, scratch);
            if (seenLeft is not null && hasKey)
            {
                if (seenLeft.Contains(scratch))
                {
                    continue;
                }

                if (seenLeft.Count >= maxBuildRows)
                {
                    throw TooLarge("distinct left keys");
                }

                seenLeft.Add((object?[])scratch.Clone());
            }

            var matches = hasKey && index.TryGetValue(scratch, out var found) ? found : null;
            switch (kind)
            {
                case JoinKind.LeftSemi:
                    if (matches is not null)
                    {
                        yield return left;
                    }

                    continue;
                case JoinKind.LeftAnti:
                    if (matches is null)
                    {
                        yield return left;
                    }

                    continue;
                case JoinKind.RightSemi or JoinKind.RightAnti:
                    MarkAll(matches, matched!);
                    continue;
            }

            if (matches is null)
            {
                if (kind is JoinKind.LeftOuter or JoinKind.FullOuter)
                {
                    yield return Combine(left, null, leftWidth);
                }

                continue;
            }

            foreach (var r in matches)
            {
                if (matched is not null)
                {
                    matched[r] = true;
                }

                yield return Combine(left, rows[r], leftWidth);
            }
        }

        if (matched is null)
        {
            yield break;
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var wanted = kind == JoinKind.RightSemi ? matched[r] : !matched[r];
            if (wanted)
            {
                yield return kind is JoinKind.RightSemi or JoinKind.RightAnti ? rows[r] : Combine(null, rows[r], leftWidth);
            }
        }
    }

    private (List<object?[]> Rows, Dictionary<object?[], List<int>> Index) Build()
    {
        var rows = new List<object?[]>();
        var index = new Dictionary<object?[], List<int>>(RowKeyComparer.Instance);
        var scratch = new object?[keys.Length];
        foreach (var row in right.Open())
        {
            if (rows.Count >= maxBuildRows)
            {
                throw TooLarge("rows on its right side");
            }

            rows.Add(row);
            if (!KeyOf(row, isLeft: false, scratch))
            {
                continue;
            }

            if (!index.TryGetValue(scratch, out var list))
            {
                list = [];
                index.Add((object?[])scratch.Clone(), list);
            }

            list.Add(rows.Count - 1);
        }

        return (rows, index);
    }

    /// <summary>Fills <paramref name="key"/>; false when a key cell is empty (such rows never match).</summary>
    private bool KeyOf(object?[] row, bool isLeft, object?[] key)
    {
        for (var k = 0; k < keys.Length; k++)
        {
            var value = keys[k].Normalize(row[isLeft ? keys[k].Left : keys[k].Right]);
            if (value is null)
            {
                return false;
            }

            key[k] = value;
        }

        return true;
    }

    private object?[] Combine(object?[]? left, object?[]? match, int leftWidth)
    {
        var result = new object?[Output.Count];
        if (left is not null)
        {
            Array.Copy(left, result, leftWidth);
        }

        if (match is not null)
        {
            for (var i = 0; i < rightColumns.Length; i++)
            {
                result[leftWidth + i] = match[rightColumns[i]];
            }
        }

        return result;
    }

    private static void MarkAll(List<int>? matches, bool[] matched)
    {
        if (matches is null)
        {
            return;
        }

        foreach (var r in matches)
        {
            matched[r] = true;
        }
    }

    private HuntingQueryException TooLarge(string what) => new(
        $"The {name} has more than {maxBuildRows:N0} {what}: the emulator holds a {name}'s build side in memory and caps it. Filter or summarize that side first.");
}
