using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting;

/// <summary>
/// Runs the emulator's KQL subset over in-memory tables: <c>where</c>, <c>project</c>, <c>project-away</c>,
/// <c>extend</c>, <c>take</c>/<c>limit</c>, <c>top</c>, <c>sort</c>/<c>order by</c>, <c>summarize</c> (count, dcount,
/// min, max, sum, avg, make_set; <c>by</c> with <c>bin()</c>), <c>distinct</c> and <c>count</c>. Anything else is
/// a <see cref="HuntingQueryException"/> naming what is unsupported.
/// </summary>
public static class HuntingEngine
{
    /// <summary>The most rows a result may hold (the API's limit).</summary>
    public const int MaxRows = 100_000;

    /// <summary>Runs <paramref name="query"/>; rows of tables with a Timestamp are limited to the window first.</summary>
    public static HuntingQueryResult Execute(string query, IReadOnlyDictionary<string, HuntingTable> tables, DateTime windowStartUtc, DateTime nowUtc)
    {
        var lexed = KqlLexer.Tokenize(query);
        if (!lexed.Success)
        {
            throw new HuntingQueryException($"Syntax error: {lexed.Error}.");
        }

        var tokens = lexed.Tokens.ToList();
        while (tokens.Count > 0 && tokens[^1].Is(";"))
        {
            tokens.RemoveAt(tokens.Count - 1);
        }

        if (tokens.Count == 0)
        {
            throw new HuntingQueryException("The query is empty.");
        }

        var p = new ExpressionParser(tokens, nowUtc);
        var tableName = p.Name();
        if (!tables.TryGetValue(tableName, out var table))
        {
            throw new HuntingQueryException($"Failed to resolve table expression named '{tableName}'.");
        }

        IReadOnlyList<HuntingColumnSchema> columns = table.Columns;
        var ts = table.ColumnIndex("Timestamp");
        IEnumerable<object?[]> rows = ts < 0 ? table.Rows : table.Rows.Where(r => r[ts] is DateTime t && t >= windowStartUtc && t <= nowUtc);
        while (p.Peek is not null)
        {
            p.Expect("|");
            var op = p.Peek ?? throw new HuntingQueryException("Syntax error: expected an operator after '|'.");
            p.Position++;
            p.Columns = columns;
            switch (op.Text)
            {
                case "where" or "filter":
                    var predicate = p.Parse();
                    rows = rows.Where(r => ExpressionParser.Truthy(predicate.Eval(r)));
                    break;
                case "take" or "limit":
                    var n = Count(p);
                    rows = rows.Take(n);
                    break;
                case "count":
                    var total = (long)rows.Count();
                    columns = [new HuntingColumnSchema("Count", "long")];
                    rows = [[total]];
                    break;
                case "project" or "extend":
                    (columns, rows) = Project(p, columns, rows, op.Text == "extend");
                    break;
                case "project-away":
                    var away = new HashSet<string>(StringComparer.Ordinal);
                    do
                    {
                        var name = p.Name();
                        if (!columns.Any(c => c.Name == name))
                        {
                            throw new HuntingQueryException($"Failed to resolve scalar expression named '{name}'.");
                        }

                        away.Add(name);
                    }
                    while (p.Accept(","));
                    var keep = Enumerable.Range(0, columns.Count).Where(i => !away.Contains(columns[i].Name)).ToArray();
                    columns = [.. keep.Select(i => columns[i])];
                    rows = rows.Select(r => keep.Select(i => r[i]).ToArray());
                    break;
                case "sort" or "order":
                    p.Expect("by");
                    rows = Sort(p, rows);
                    break;
                case "top":
                    var top = Count(p);
                    p.Expect("by");
                    rows = Sort(p, rows).Take(top);
                    break;
                case "distinct":
                    var indexes = new List<int>();
                    do
                    {
                        var name = p.Name();
                        var index = columns.ToList().FindIndex(c => c.Name == name);
                        indexes.Add(index >= 0 ? index : throw new HuntingQueryException($"Failed to resolve scalar expression named '{name}'."));
                    }
                    while (p.Accept(","));
                    columns = [.. indexes.Select(i => columns[i])];
                    rows = rows.Select(r => indexes.Select(i => r[i]).ToArray()).DistinctBy(r => string.Join('\u0001', r.Select(ExpressionParser.ToStr)));
                    break;
                case "summarize":
                    (columns, rows) = Summarize.Run(p, columns, rows);
                    break;
                default:
                    throw new HuntingQueryException($"Unsupported operator '{op.Text}' in the emulator.");
            }
        }

        var result = rows.Take(MaxRows + 1).ToList();
        if (result.Count > MaxRows)
        {
            result.RemoveAt(MaxRows);
        }

        return new HuntingQueryResult(columns, result);
    }

    private static int Count(ExpressionParser p)
    {
        var t = p.Peek;
        if (t is null || t.Kind != KqlTokenKind.Number || !int.TryParse(t.Text, out var n) || n < 0)
        {
            throw new HuntingQueryException("Syntax error: expected a row count.");
        }

        p.Position++;
        return n;
    }

    private static (IReadOnlyList<HuntingColumnSchema>, IEnumerable<object?[]>) Project(ExpressionParser p, IReadOnlyList<HuntingColumnSchema> columns, IEnumerable<object?[]> rows, bool extend)
    {
        var outputs = new List<(string Name, Expr Expr)>();
        var counter = 0;
        do
        {
            outputs.Add(p.NamedExpression(ref counter));
        }
        while (p.Accept(","));

        if (!extend)
        {
            var projected = outputs.Select(o => new HuntingColumnSchema(o.Name, o.Expr.Type)).ToList();
            var evals = outputs.Select(o => o.Expr.Eval).ToArray();
            return (projected, rows.Select(r => evals.Select(e => e(r)).ToArray()));
        }

        var all = columns.ToList();
        var plan = new List<(int Target, Func<object?[], object?> Eval)>();
        foreach (var (name, expr) in outputs)
        {
            var existing = all.FindIndex(c => c.Name == name);
            if (existing >= 0)
            {
                all[existing] = new HuntingColumnSchema(name, expr.Type);
                plan.Add((existing, expr.Eval));
            }
            else
            {
                all.Add(new HuntingColumnSchema(name, expr.Type));
                plan.Add((all.Count - 1, expr.Eval));
            }
        }

        var width = all.Count;
        return (all, rows.Select(r =>
        {
            var row = new object?[width];
            Array.Copy(r, row, r.Length);
            foreach (var (target, eval) in plan)
            {
                row[target] = eval(r);
            }

            return row;
        }));
    }

    private static IEnumerable<object?[]> Sort(ExpressionParser p, IEnumerable<object?[]> rows)
    {
        var keys = new List<(Expr Expr, bool Descending)>();
        do
        {
            var expr = p.Parse();
            var descending = !p.Accept("asc");
            p.Accept("desc");
            keys.Add((expr, descending));
        }
        while (p.Accept(","));

        var list = rows.ToList();
        list.Sort((a, b) =>
        {
            foreach (var (expr, descending) in keys)
            {
                var c = CompareForSort(expr.Eval(a), expr.Eval(b));
                if (c != 0)
                {
                    return descending ? -c : c;
                }
            }

            return 0;
        });
        return list;
    }

    private static int CompareForSort(object? a, object? b) =>
        a is null ? (b is null ? 0 : -1) : b is null ? 1 : ExpressionParser.CompareOrNull(a, b) ?? 0;
}
