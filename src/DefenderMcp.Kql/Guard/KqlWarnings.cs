using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Kql.Guard;

/// <summary>
/// Advice returned with an allowed query; never blocks it. Warns about: an unknown table (at the start of a tabular
/// statement or <c>let</c> value, or after <c>union</c>/<c>join</c>/<c>lookup</c>/<c>search in</c>; let-bound names are
/// skipped) with the three closest catalog names, or the call syntax when the name is a documented function; a function
/// after <c>invoke</c> that is neither let-bound nor documented (FileProfile, DeviceFromIP, SeenBy ...); an unknown column
/// used directly on a catalog table (leading <c>where</c>/<c>project</c>/<c>sort</c>/<c>take</c>/<c>top</c> before the
/// columns change); an <c>ago()</c> longer than the timespan (the service searches only the timespan); no time
/// filter while the timespan is over 7 days; <c>search *</c>, <c>union *</c>, and
/// <c>search</c>/<c>find</c> without a table.
/// </summary>
public static class KqlWarnings
{
    private const int MaxWarnings = 5;

    private static readonly TimeSpan WideTimespan = TimeSpan.FromDays(7);

    // The hunting API's longest look-back.
    private static readonly TimeSpan MaximumTimespan = TimeSpan.FromDays(30);

    // Statement starters that are not table names.
    private static readonly HashSet<string> NotTables = new(StringComparer.OrdinalIgnoreCase)
    {
        "let", "set", "print", "range", "datatable", "union", "search", "find", "evaluate", "declare", "alias", "pattern", "restrict",
        "true", "false", "null",
    };

    // Words inside where/project/sort/top that are operators or keywords, not columns.
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "not", "has", "has_cs", "hasprefix", "hassuffix", "hasprefix_cs", "hassuffix_cs", "contains", "contains_cs", "startswith",
        "startswith_cs", "endswith", "endswith_cs", "in", "in~", "has_any", "has_all", "between", "matches", "regex", "like", "by", "asc", "desc",
        "nulls", "first", "last", "true", "false", "to", "of", "with", "kind", "on", "typeof", "dynamic", "null", "notcontains", "notcontainscs",
        "notbetween", "notin", "notlike", "hint", "granny-asc", "granny-desc",
    };

    // Operators whose arguments still see the table's own columns (project ends the check after itself).
    private static readonly HashSet<string> ColumnCheckedOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        "where", "filter", "project", "sort", "order", "take", "limit", "top",
    };

    /// <summary>Warnings for an allowed query's tokens (at most five, no duplicates).</summary>
    /// <param name="tokens">The query's tokens from <see cref="KqlLexer.Tokenize"/>.</param>
    /// <param name="options">The guard options (the query's timespan).</param>
    public static IReadOnlyList<string> For(IReadOnlyList<KqlToken> tokens, KqlGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        var letNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Is("let") && tokens[i + 1].Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier)
            {
                letNames.Add(tokens[i + 1].Value);
            }
        }

        foreach (var statement in Statements(tokens))
        {
            CheckStatement(statement, letNames, warnings);
        }

        if (WholeScan(tokens) is { } scan)
        {
            warnings.Add(scan);
        }

        // The service searches only the timespan, so a longer ago() in the query reads less than it says. The warning
        // names the timespan exactly as it was sent (P1DT1H, not a rounded P2D) and the one that covers the ago().
        if (KqlLookBack.Longest(tokens) is { } lookBack && lookBack.Span > options.Timespan)
        {
            var cover = lookBack.Span > MaximumTimespan
                ? $"the longest timespan is {KqlLookBack.Iso(MaximumTimespan)}"
                : $"pass timespan {KqlLookBack.Iso(KqlLookBack.Cover(lookBack.Span))} to search all of it";
            warnings.Add($"The query looks back ago({lookBack.Literal}), but the timespan is {KqlLookBack.Iso(options.Timespan)}: only rows from that timespan are searched; {cover}.");
        }

        if (options.Timespan > WideTimespan && !HasTimeFilter(tokens))
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

        // Where the statement's source starts: the first token, the value of a let, or inside a leading '('.
        var source = 0;
        if (statement[0].Is("let") && statement.Count > 3 && statement[2].Is("="))
        {
            source = 3;
        }

        while (source < statement.Count && statement[source].Is("("))
        {
            source++;
        }

        var sources = new List<int>();
        if (IsTableReference(statement, source) && !NotTables.Contains(statement[source].Text))
        {
            sources.Add(source);
        }

        for (var i = 0; i + 1 < statement.Count; i++)
        {
            if (statement[i].Is("union"))
            {
                UnionOperands(statement, i + 1, sources);
            }
            else if (statement[i].Is("search") && SkipParameters(statement, i + 1) is var after && after + 1 < statement.Count && statement[after].Is("in") && statement[after + 1].Is("("))
            {
                // search in (T1, T2*) ...: the same operand list as union's.
                UnionOperands(statement, after + 2, sources);
            }
            else if (statement[i].Is("invoke"))
            {
                CheckInvoke(statement, i + 1, letNames, warnings);
            }
            else if (statement[i].Is("join") || statement[i].Is("lookup"))
            {
                var j = SkipParameters(statement, i + 1);
                while (j < statement.Count && statement[j].Is("("))
                {
                    j++;
                }

                if (IsTableReference(statement, j))
                {
                    sources.Add(j);
                }
            }
        }

        foreach (var index in sources)
        {
            var name = statement[index].Value;
            if (letNames.Contains(name) || HuntingSchemaCatalog.Find(name) is not null)
            {
                continue;
            }

            if (HuntingSchemaCatalog.FindFunction(name) is { } function)
            {
                warnings.Add($"'{function.Name}' is a function, not a table: call it as '{function.Syntax}'.");
                continue;
            }

            var caseMatch = HuntingSchemaCatalog.FindIgnoreCase(name);
            warnings.Add(caseMatch is not null
                ? $"Unknown table '{Clip(name)}': table names are case-sensitive. Did you mean {caseMatch.Name}?"
                : $"Unknown table '{Clip(name)}'. Did you mean: {string.Join(", ", HuntingSchemaCatalog.SuggestTables(name))}?");
        }

        if (source == 0 && sources.Contains(0) && HuntingSchemaCatalog.Find(statement[0].Value) is { } table)
        {
            CheckColumns(statement, table, letNames, warnings);
        }
    }

    private static void CheckInvoke(List<KqlToken> statement, int j, HashSet<string> letNames, List<string> warnings)
    {
        // 'invoke F(...)' calls a let-bound or a documented function (FileProfile, DeviceFromIP, SeenBy ...); anything
        // else fails at the service, so say so with the nearest documented names.
        if (j + 1 >= statement.Count || statement[j].Kind is not (KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier) || !statement[j + 1].Is("("))
        {
            return;
        }

        var name = statement[j].Value;
        if (letNames.Contains(name) || HuntingSchemaCatalog.FindFunction(name) is not null)
        {
            return;
        }

        warnings.Add($"Unknown function '{Clip(name)}' after invoke. Did you mean: {string.Join(", ", HuntingSchemaCatalog.SuggestFunctions(name))}?");
    }

    /// <summary>A bare or quoted name that is not called, dotted, or a wildcard pattern.</summary>
    private static bool IsTableReference(List<KqlToken> statement, int i) =>
        i < statement.Count &&
        statement[i].Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier &&
        !(i + 1 < statement.Count &&
          (statement[i + 1].Is("(") || statement[i + 1].Is(".") || statement[i + 1].Is("*") || statement[i + 1].Is("=") || statement[i + 1].Is(":")));

    private static int SkipParameters(List<KqlToken> statement, int j)
    {
        // kind=inner, withsource=X, isfuzzy=true, hint.strategy=shuffle ...
        while (j + 2 < statement.Count && statement[j].Kind == KqlTokenKind.Identifier)
        {
            if (statement[j + 1].Is("="))
            {
                j += 3;
            }
            else if (statement[j + 1].Is(".") && j + 4 < statement.Count && statement[j + 3].Is("="))
            {
                j += 5;
            }
            else
            {
                break;
            }
        }

        return j;
    }

    private static void UnionOperands(List<KqlToken> statement, int j, List<int> sources)
    {
        // union T1, (T2 | where ...), T3*: each operand at depth 0, separated by commas.
        j = SkipParameters(statement, j);
        while (j < statement.Count)
        {
            var operand = j;
            while (operand < statement.Count && statement[operand].Is("("))
            {
                operand++;
            }

            if (IsTableReference(statement, operand))
            {
                sources.Add(operand);
            }

            var depth = 0;
            while (j < statement.Count && !(depth == 0 && (statement[j].Is(",") || statement[j].Is("|") || statement[j].Is(")"))))
            {
                depth += statement[j].Is("(") ? 1 : statement[j].Is(")") ? -1 : 0;
                j++;
            }

            if (j >= statement.Count || !statement[j].Is(","))
            {
                return;
            }

            j++;
        }
    }

    private static void CheckColumns(List<KqlToken> statement, HuntingTableSchema table, HashSet<string> letNames, List<string> warnings)
    {
        // Only the leading operators that keep the table's own columns; stop at the first that changes them.
        var i = 1;
        while (i + 1 < statement.Count && statement[i].Is("|"))
        {
            var op = statement[i + 1];
            var end = i + 2;
            while (end < statement.Count && !statement[end].Is("|"))
            {
                end++;
            }

            if (op.Kind != KqlTokenKind.Identifier || !ColumnCheckedOperators.Contains(op.Text))
            {
                return;
            }

            for (var k = i + 2; k < end; k++)
            {
                if (IsColumnReference(statement, k, end, letNames) && table.FindColumn(statement[k].Value) is null)
                {
                    var name = statement[k].Value;
                    warnings.Add($"Unknown column '{Clip(name)}' in {table.Name}. Did you mean: {string.Join(", ", HuntingSchemaCatalog.SuggestColumns(table, name))}?");
                }
            }

            if (op.Is("project"))
            {
                return;
            }

            i = end;
        }
    }

    private static bool IsColumnReference(List<KqlToken> statement, int k, int end, HashSet<string> letNames)
    {
        var token = statement[k];
        if (token.Kind is not (KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier) ||
            (token.Kind == KqlTokenKind.Identifier && (Keywords.Contains(token.Text) || token.Text.StartsWith('$'))) ||
            letNames.Contains(token.Value))
        {
            return false;
        }

        // Not a function name, an assignment target, a parameter (kind=...), part of a dotted path or an index (x['key']).
        var next = k + 1 < end ? statement[k + 1] : null;
        var previous = statement[k - 1];
        var indexes = token.Kind == KqlTokenKind.QuotedIdentifier && token.Start == previous.Start + previous.Text.Length;
        return !(indexes || (next is not null && (next.Is("(") || next.Is("=") || next.Is(".") || next.Is(":"))) || previous.Is("."));
    }

    private static string? WholeScan(IReadOnlyList<KqlToken> tokens)
    {
        var statementStart = true;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var operand = AfterParameters(tokens, i + 1);
            if ((token.Is("search") || token.Is("union")) && operand < tokens.Count && tokens[operand].Is("*"))
            {
                return $"'{token.Text.ToLowerInvariant()} *' scans every table: it is slow and costly on quota; name the tables you need.";
            }

            // A search/find that starts a statement (not piped) without 'in (...)' runs over every table.
            if (statementStart && (token.Is("search") || token.Is("find")) && !(operand < tokens.Count && tokens[operand].Is("in")))
            {
                return $"'{token.Text.ToLowerInvariant()}' without a table scans every table: use 'T | {token.Text.ToLowerInvariant()} ...' or '{token.Text.ToLowerInvariant()} in (T1, T2) ...'.";
            }

            statementStart = token.Is(";") || (statementStart && token.Is("("));
        }

        return null;
    }

    private static int AfterParameters(IReadOnlyList<KqlToken> tokens, int i)
    {
        while (i + 2 < tokens.Count && tokens[i].Kind == KqlTokenKind.Identifier && tokens[i + 1].Is("="))
        {
            i += 3; // kind=case_sensitive, withsource=T, isfuzzy=true
        }

        return i;
    }

    // A time filter is ago(), between, or a time column compared (Timestamp > x, x <= TimeGenerated); a time column
    // that is only projected, sorted or summarized filters nothing, so it must not silence the warning.
    private static bool HasTimeFilter(IReadOnlyList<KqlToken> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind == KqlTokenKind.Identifier && (tokens[i].Is("ago") || tokens[i].Is("between")))
            {
                return true;
            }

            if (IsTimeColumn(tokens[i]) && ((i + 1 < tokens.Count && IsComparison(tokens[i + 1])) || (i > 0 && IsComparison(tokens[i - 1]))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTimeColumn(KqlToken token) =>
        (token.Kind == KqlTokenKind.Identifier && (token.Is("Timestamp") || token.Is("TimeGenerated"))) ||
        (token.Kind == KqlTokenKind.QuotedIdentifier && (string.Equals(token.Value, "Timestamp", StringComparison.OrdinalIgnoreCase) || string.Equals(token.Value, "TimeGenerated", StringComparison.OrdinalIgnoreCase)));

    private static bool IsComparison(KqlToken token) =>
        token.Kind == KqlTokenKind.Punctuation && (token.Is(">") || token.Is(">=") || token.Is("<") || token.Is("<=") || token.Is("==") || token.Is("!=") || token.Is("<>"));

    private static string Clip(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
