using System.Globalization;
using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting;

/// <summary>The <c>summarize</c> operator: aggregates (count, countif, dcount, min, max, sum, avg, make_set) by keys.</summary>
public static class Summarize
{
    private sealed record Aggregate(string Name, string Function, Expr? Argument, string Type);

    /// <summary>Parses the operator's arguments from <paramref name="p"/> and runs it.</summary>
    public static (IReadOnlyList<HuntingColumnSchema>, IEnumerable<object?[]>) Run(ExpressionParser p, IReadOnlyList<HuntingColumnSchema> columns, IEnumerable<object?[]> rows)
    {
        var aggregates = new List<Aggregate>();
        if (p.Peek is not null && !p.Peek.Is("by"))
        {
            do
            {
                aggregates.Add(ParseAggregate(p));
            }
            while (p.Accept(","));
        }

        var keys = new List<(string Name, Expr Expr)>();
        if (p.Accept("by"))
        {
            var counter = 0;
            do
            {
                keys.Add(p.NamedExpression(ref counter));
            }
            while (p.Accept(","));
        }

        var groups = new Dictionary<string, (object?[] Key, List<object?[]> Rows)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var key = keys.Select(k => k.Expr.Eval(row)).ToArray();
            var id = string.Join('\u0001', key.Select(ExpressionParser.ToStr));
            if (!groups.TryGetValue(id, out var group))
            {
                group = (key, []);
                groups[id] = group;
            }

            group.Rows.Add(row);
        }

        if (keys.Count == 0 && groups.Count == 0)
        {
            groups[string.Empty] = ([], []);
        }

        var output = keys.Select(k => new HuntingColumnSchema(k.Name, k.Expr.Type)).Concat(aggregates.Select(a => new HuntingColumnSchema(a.Name, a.Type))).ToList();
        var result = groups.Values.Select(g => g.Key.Concat(aggregates.Select(a => Compute(a, g.Rows))).ToArray()).ToList();
        return (output, result);
    }

    private static Aggregate ParseAggregate(ExpressionParser p)
    {
        string? alias = null;
        var start = p.Position;
        var first = p.Name();
        if (p.Accept("="))
        {
            alias = first;
            first = p.Name();
        }

        var function = first;
        p.Expect("(");
        Expr? argument = null;
        if (!p.Accept(")"))
        {
            argument = p.Parse();
            if (p.Accept(","))
            {
                p.Parse();
            }

            p.Expect(")");
        }

        var type = function switch
        {
            "count" or "countif" or "dcount" => "long",
            "avg" => "real",
            "make_set" or "make_list" => "dynamic",
            "min" or "max" or "sum" => argument?.Type ?? "long",
            _ => throw new HuntingQueryException($"Unsupported aggregation function '{function}' in the emulator."),
        };
        if (function != "count" && argument is null)
        {
            throw new HuntingQueryException($"Aggregation '{function}' needs an argument.");
        }

        var defaultName = function switch
        {
            "count" => "count_",
            _ => $"{function}_{argument?.Name ?? ""}".TrimEnd('_'),
        };
        _ = start;
        return new Aggregate(alias ?? defaultName, function, argument, type);
    }

    private static object? Compute(Aggregate a, List<object?[]> rows)
    {
        IEnumerable<object?> Values() => rows.Select(r => a.Argument!.Eval(r)).Where(v => v is not null);
        switch (a.Function)
        {
            case "count":
                return (long)rows.Count;
            case "countif":
                return (long)rows.Count(r => ExpressionParser.Truthy(a.Argument!.Eval(r)));
            case "dcount":
                return (long)Values().Select(ExpressionParser.ToStr).Distinct(StringComparer.Ordinal).Count();
            case "min":
                return Values().Aggregate((object?)null, (m, v) => m is null || ExpressionParser.CompareOrNull(v, m) < 0 ? v : m);
            case "max":
                return Values().Aggregate((object?)null, (m, v) => m is null || ExpressionParser.CompareOrNull(v, m) > 0 ? v : m);
            case "sum":
                var numbers = Values().Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToList();
                return a.Type is "long" or "int" ? (object)(long)numbers.Sum() : numbers.Sum();
            case "avg":
                var list = Values().Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToList();
                return list.Count == 0 ? null : list.Average();
            default:
                var set = Values().Select(ExpressionParser.ToStr).Distinct(StringComparer.Ordinal).Take(a.Function == "make_set" ? 1_048_576 : int.MaxValue);
                return "[" + string.Join(',', set.Select(s => System.Text.Json.JsonSerializer.Serialize(s))) + "]";
        }
    }
}
