using System.Text.RegularExpressions;
using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// The terms of a <c>search</c> predicate, with Kusto's wildcard rules: <c>term</c> is <c>has</c>, <c>term*</c>
/// <c>hasprefix</c>, <c>*term</c> <c>hassuffix</c>, <c>*term*</c> <c>contains</c>, and a <c>*</c> inside
/// (<c>Lab*PC</c>) a regex from term boundary to term boundary. Case-insensitive unless <c>kind=case_sensitive</c>.
/// </summary>
internal static class SearchTerms
{
    /// <summary><c>"term"</c>: true when any column's text matches.</summary>
    public static Scalar InAnyColumn(RowSchema schema, string term, bool caseSensitive)
    {
        var match = Matcher(term, caseSensitive);
        var width = schema.Count;
        return Scalar.Predicate(row =>
        {
            for (var i = 0; i < width; i++)
            {
                if (row[i] is { } cell && match(cell as string ?? KqlValues.ToText(cell)))
                {
                    return true;
                }
            }

            return false;
        });
    }

    /// <summary><c>Column:"term"</c>: true when that column's text matches.</summary>
    public static Scalar InColumn(Scalar column, string term, bool caseSensitive)
    {
        var match = Matcher(term, caseSensitive);
        var eval = column.Eval;
        return Scalar.Predicate(row => match(KqlValues.ToText(eval(row))));
    }

    private static Func<string?, bool> Matcher(string term, bool caseSensitive)
    {
        var star = term.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return text => StringMatch.Has(text, term, caseSensitive);
        }

        var comparison = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var inner = term.Trim('*');
        var leading = term.StartsWith('*');
        var trailing = term.EndsWith('*');
        if (inner.Length == 0)
        {
            return _ => true;
        }

        if (!inner.Contains('*', StringComparison.Ordinal))
        {
            return (leading, trailing) switch
            {
                (true, true) => text => (text ?? string.Empty).Contains(inner, comparison),
                (false, true) => text => StringMatch.HasPrefix(text, inner, caseSensitive),
                _ => text => StringMatch.HasSuffix(text, inner, caseSensitive),
            };
        }

        var pattern = @"\b" + string.Join(".*", term.Split('*').Select(Regex.Escape)) + @"\b";
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (caseSensitive ? RegexOptions.None : RegexOptions.IgnoreCase);
        var regex = new Regex(pattern, options);
        return text => regex.IsMatch(text ?? string.Empty);
    }
}
