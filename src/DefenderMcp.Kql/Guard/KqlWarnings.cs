using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Kql.Guard;

/// <summary>Advice returned with a result; never blocks a query.</summary>
public static class KqlWarnings
{
    private const int MaxWarnings = 5;

    private static readonly HashSet<string> NotTables = new(StringComparer.OrdinalIgnoreCase)
    {
        "let", "set", "print", "range", "datatable", "union", "search", "find", "evaluate", "declare", "alias", "pattern", "restrict",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "not", "has", "has_cs", "hasprefix", "hassuffix", "hasprefix_cs", "hassuffix_cs", "contains", "contains_cs", "startswith",
        "startswith_cs", "endswith", "endswith_cs", "in", "in~", "has_any", "has_all", "between", "matches", "regex", "like", "by", "asc", "desc",
        "nulls", "first", "last", "true", "false", "to", "of", "with", "kind", "on", "typeof", "dynamic", "null", "TRUE", "FALSE",
    };

    /// <summary>Warnings for an allowed query.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<KqlToken> tokens, KqlGuardOptions options)
    {
        var warnings = new List<string>();
        var letNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Is("let") && tokens[i + 1].Kind == KqlTokenKind.Identifier)
            {
                letNames.Add(tokens[i + 1].Text);
            }
        }

        foreach (var statement in Statements(tokens))
        {
            CheckStatement(statement, letNames, warnings);
        }

        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if ((tokens[i].Is("search") || tokens[i].Is("union")) && tokens[i + 1].Is("*"))
            {
                warnings.Add($"'{tokens[i].Text.ToLowerInvariant()} *' scans every table: it is slow and costly on quota; name the tables you need.");
                break;
            }
        }

        if (options.Timespan > TimeSpan.FromDays(7) && !HasTimeFilter(tokens))
        {
            warnings.Add($"No time filter in the query while the timespan is {options.Timespan.TotalDays:0.#} days: add 'where Timestamp > ago(...)' to cut cost and noise.");
        }

        return [.. warnings.Distinct(StringComparer.Ordinal).Take(MaxWarnings)];
    }

    private static IEnumerable<List<KqlToken>> Statements(IReadOnlyList<KqlToken> tokens)
    {
        var current = new List<KqlToken>();
        foreach (var token in tokens)
        {
            if (token.Is(";"))
            {
                yield return current;
                current = [];
            }
            else
            {
                current.Add(token);
            }
        }

        yield return current;
    }

    private static void CheckStatement(List<KqlToken> statement, HashSet<string> letNames, List<string> warnings)
    {
        if (statement.Count == 0)
        {
            return;
        }

        // Table references: the statement's source, and the operands of union/join/lookup.
        var sources = new List<int>();
        if (statement[0].Kind == KqlTokenKind.Identifier && !NotTables.Contains(statement[0].Text) && (statement.Count == 1 || !statement[1].Is("(")))
        {
            sources.Add(0);
        }

        for (var i = 0; i + 1 < statement.Count; i++)
        {
            if (statement[i].Is("union") || statement[i].Is("join") || statement[i].Is("lookup"))
            {
                var j = i + 1;
                while (j + 2 < statement.Count && statement[j].Kind == KqlTokenKind.Identifier && statement[j + 1].Is("="))
                {
                    j += 3; // kind=inner, withsource=X ...
                }

                if (j < statement.Count && statement[j].Is("("))
                {
                    j++;
                }

                if (j < statement.Count && statement[j].Kind == KqlTokenKind.Identifier && !(j + 1 < statement.Count && statement[j + 1].Is("(")))
                {
                    sources.Add(j);
                }
            }
        }

        foreach (var index in sources)
        {
            var name = statement[index].Text;
            if (letNames.Contains(name) || HuntingSchemaCatalog.Find(name) is not null)
            {
                continue;
            }

            var caseMatch = HuntingSchemaCatalog.FindIgnoreCase(name);
            warnings.Add(caseMatch is not null
                ? $"Unknown table '{Clip(name)}': table names are case-sensitive. Did you mean {caseMatch.Name}?"
                : $"Unknown table '{Clip(name)}'. Did you mean: {string.Join(", ", HuntingSchemaCatalog.SuggestTables(name))}?");
        }

        if (sources.Count > 0 && sources[0] == 0 && HuntingSchemaCatalog.Find(statement[0].Text) is { } table)
        {
            CheckColumns(statement, table, warnings);
        }
    }

    private static void CheckColumns(List<KqlToken> statement, HuntingTableSchema table, List<string> warnings)
    {
        // Only the leading where/take/sort/project segments, while the columns are still the table's own.
        var i = 1;
        while (i < statement.Count && statement[i].Is("|") && i + 1 < statement.Count)
        {
            var op = statement[i + 1].Text.ToLowerInvariant();
            var end = i + 2;
            while (end < statement.Count && !statement[end].Is("|"))
            {
                end++;
            }

            if (op is not ("where" or "filter" or "project" or "sort" or "order" or "take" or "limit" or "top"))
            {
                return;
            }

            for (var k = i + 2; k < end; k++)
            {
                var token = statement[k];
                if (token.Kind is not (KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier) || Keywords.Contains(token.Text) ||
                    (k + 1 < end && (statement[k + 1].Is("(") || statement[k + 1].Is("="))) || (k > 0 && statement[k - 1].Is(".")) ||
                    (k + 1 < end && statement[k + 1].Is(".")))
                {
                    continue;
                }

                var name = token.Value;
                if (table.FindColumn(name) is null)
                {
                    warnings.Add($"Unknown column '{Clip(name)}' in {table.Name}. Did you mean: {string.Join(", ", HuntingSchemaCatalog.SuggestColumns(table, name))}?");
                }
            }

            if (op == "project")
            {
                return;
            }

            i = end;
        }
    }

    private static bool HasTimeFilter(IReadOnlyList<KqlToken> tokens) =>
        tokens.Any(t => t.Kind == KqlTokenKind.Identifier && (t.Is("Timestamp") || t.Is("ago") || t.Is("between") || t.Is("TimeGenerated")));

    private static string Clip(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
