using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Emulator.Hunting.Operators;
using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// <c>project-away</c>, <c>project-keep</c> and <c>project-reorder</c>: comma-separated column names or wildcard
/// patterns (<c>Initiating*</c>, <c>*Id</c>, <c>Account*Name</c>). A plain name that matches nothing is an error, as in
/// Kusto; a pattern that matches nothing is not.
/// </summary>
internal static class ColumnSelection
{
    public static ProjectOperator Away(TokenReader reader, RowSchema schema)
    {
        var removed = Patterns(reader, schema).SelectMany(m => m).ToHashSet();
        return Keeping(schema, [.. Enumerable.Range(0, schema.Count).Where(i => !removed.Contains(i))]);
    }

    public static ProjectOperator Keep(TokenReader reader, RowSchema schema)
    {
        var kept = Patterns(reader, schema).SelectMany(m => m).ToHashSet();
        return Keeping(schema, [.. Enumerable.Range(0, schema.Count).Where(kept.Contains)]);
    }

    /// <summary>The named columns first, in the order named (a pattern's matches in input order), then the rest.</summary>
    public static ProjectOperator Reorder(TokenReader reader, RowSchema schema)
    {
        var order = new List<int>();
        foreach (var index in Patterns(reader, schema, ordered: true).SelectMany(m => m))
        {
            if (!order.Contains(index))
            {
                order.Add(index);
            }
        }

        order.AddRange(Enumerable.Range(0, schema.Count).Where(i => !order.Contains(i)));
        return Keeping(schema, [.. order]);
    }

    private static ProjectOperator Keeping(RowSchema schema, int[] sources) =>
        new(new RowSchema([.. sources.Select(i => schema[i])]), sources, new Func<object?[], object?>?[sources.Length]);

    /// <summary>
    /// For each pattern, the indexes of the columns it matches, in input order; with <paramref name="ordered"/> a
    /// pattern may be followed by <c>asc</c>/<c>desc</c> (or the granny forms) to order its matches by name.
    /// </summary>
    private static List<List<int>> Patterns(TokenReader reader, RowSchema schema, bool ordered = false)
    {
        var result = new List<List<int>>();
        do
        {
            var pattern = Pattern(reader);
            var matches = Enumerable.Range(0, schema.Count).Where(i => Glob(schema[i].Name, pattern)).ToList();
            if (matches.Count == 0 && !pattern.Contains('*', StringComparison.Ordinal))
            {
                throw new HuntingQueryException($"Failed to resolve scalar expression named '{pattern}'.");
            }

            if (ordered && (reader.Accept("asc") || reader.Accept("granny-asc")))
            {
                matches.Sort((a, b) => string.CompareOrdinal(schema[a].Name, schema[b].Name));
            }
            else if (ordered && (reader.Accept("desc") || reader.Accept("granny-desc")))
            {
                matches.Sort((a, b) => string.CompareOrdinal(schema[b].Name, schema[a].Name));
            }

            result.Add(matches);
        }
        while (reader.Accept(","));
        return result;
    }

    /// <summary>A name or wildcard pattern: adjacent name and <c>*</c> tokens (the lexer splits <c>A*B</c> into three).</summary>
    private static string Pattern(TokenReader reader)
    {
        var text = string.Empty;
        KqlToken? previous = null;
        while (reader.Peek is { } token
               && (token.Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier || TokenReader.Matches(token, "*"))
               && (previous is null || token.Start == previous.Start + previous.Text.Length)
               && !(previous is { Kind: KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier } && token.Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier))
        {
            text += token.Kind == KqlTokenKind.Punctuation ? "*" : token.Value;
            previous = reader.Next();
        }

        return text.Length > 0 ? text : throw reader.Error("expected a column name");
    }

    private static bool Glob(string name, string pattern)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return name == pattern;
        }

        if (!name.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var position = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var at = name.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            position = at + parts[i].Length;
        }

        return name.Length - parts[^1].Length >= position && name.EndsWith(parts[^1], StringComparison.Ordinal);
    }
}
