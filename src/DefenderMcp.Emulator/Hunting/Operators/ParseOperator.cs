using System.Text.RegularExpressions;
using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Operators;

/// <summary>
/// <c>parse</c> and <c>parse-where</c>: one regex match per row fills every parsed column at once. A row that does not
/// match gets nulls (<c>parse</c>) or is dropped (<c>parse-where</c>); with <paramref name="strict"/> (kinds
/// <c>simple</c> and <c>regex</c>) one value that does not convert to its column's type fails the whole row, as KQL's
/// strict match does, while <c>relaxed</c> nulls that column only.
/// </summary>
internal sealed class ParseOperator(
    RowSchema output,
    Func<object?[], object?> source,
    Regex pattern,
    int[] targets,
    string[] groups,
    Func<string, object?>[] converters,
    bool strict,
    bool dropUnmatched) : QueryOperator(output)
{
    public override IEnumerable<object?[]> Run(IEnumerable<object?[]> input)
    {
        var width = Output.Count;
        var values = new object?[targets.Length];
        foreach (var row in input)
        {
            var result = new object?[width];
            Array.Copy(row, result, Math.Min(row.Length, width));
            var matched = Match(row, values);
            if (!matched && dropUnmatched)
            {
                continue;
            }

            for (var i = 0; i < targets.Length; i++)
            {
                result[targets[i]] = matched ? values[i] : null;
            }

            yield return result;
        }
    }

    private bool Match(object?[] row, object?[] values)
    {
        if (KqlValues.ToText(source(row)) is not { } text)
        {
            return false;
        }

        var match = pattern.Match(text);
        if (!match.Success)
        {
            return false;
        }

        for (var i = 0; i < groups.Length; i++)
        {
            var group = match.Groups[groups[i]];
            values[i] = group.Success ? converters[i](group.Value) : null;
            if (values[i] is null && strict)
            {
                return false;
            }
        }

        return true;
    }
}
