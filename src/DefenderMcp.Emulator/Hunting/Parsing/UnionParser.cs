using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Emulator.Hunting.Operators;
using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// Parses <c>[T |] union [kind=outer|inner] [withsource=Name] [isfuzzy=true] Operands</c>, where an operand is a table
/// or <c>let</c> name, a <c>Prefix*</c> wildcard over tables, or a parenthesized query. Columns as in Kusto: outer keeps
/// every (name, type) in order of first appearance, a name seen with several types becoming <c>Name_type</c>; inner
/// keeps the columns every leg has; the <c>withsource</c> column comes first.
/// </summary>
internal static class UnionParser
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal) { "kind", "withsource", "isfuzzy" };

    public static UnionOperator Parse(TokenReader reader, QueryScope scope, (RowSchema Schema, string Name)? piped, Func<TabularSource> parenthesized)
    {
        var parameters = OperatorParameters.Parse(reader, Allowed);
        var inner = parameters.GetValueOrDefault("kind", "outer") switch
        {
            "outer" => false,
            "inner" => true,
            var other => throw new HuntingQueryException($"Unsupported union kind '{other}' in the emulator."),
        };
        var fuzzy = parameters.GetValueOrDefault("isfuzzy", "false") switch
        {
            "true" or "True" => true,
            "false" or "False" => false,
            var other => throw new HuntingQueryException($"The union parameter isfuzzy must be true or false, not '{other}'."),
        };

        var legs = new List<(Func<IEnumerable<object?[]>>? Open, RowSchema Schema, string Name)>();
        if (piped is { } input)
        {
            legs.Add((null, input.Schema, input.Name));
        }

        var unresolved = Operands(reader, scope, parenthesized, legs);
        if (unresolved.Count > 0 && (!fuzzy || legs.Count == 0))
        {
            throw new HuntingQueryException($"Failed to resolve table expression named '{unresolved[0]}'.");
        }

        return Build(legs, inner, parameters.GetValueOrDefault("withsource"));
    }

    /// <summary>Reads comma-separated operands into <paramref name="legs"/>; returns the names that resolved to nothing.</summary>
    public static List<string> Operands(TokenReader reader, QueryScope scope, Func<TabularSource> parenthesized, List<(Func<IEnumerable<object?[]>>? Open, RowSchema Schema, string Name)> legs)
    {
        var unresolved = new List<string>();
        do
        {
            if (reader.IsNext("("))
            {
                var nested = parenthesized();
                legs.Add((nested.Open, nested.Schema, $"union_arg{legs.Count}"));
                continue;
            }

            if (reader.Accept("*"))
            {
                AddTables(scope, string.Empty, legs);
                continue;
            }

            if (!reader.IsNameNext)
            {
                throw reader.Error("expected a table name");
            }

            var token = reader.Next();
            if (reader.Peek is { Kind: KqlTokenKind.Punctuation, Text: "*" } star && star.Start == token.Start + token.Text.Length)
            {
                reader.Next();
                if (AddTables(scope, token.Value, legs) == 0)
                {
                    unresolved.Add(token.Value + "*");
                }

                continue;
            }

            if (scope.Source(token.Value) is { } source)
            {
                legs.Add((source.Open, source.Schema, token.Value));
            }
            else
            {
                unresolved.Add(token.Value);
            }
        }
        while (reader.Accept(","));
        return unresolved;
    }

    /// <summary>The union of <paramref name="legs"/>: shared columns, each leg's column map, and the source column.</summary>
    public static UnionOperator Build(List<(Func<IEnumerable<object?[]>>? Open, RowSchema Schema, string Name)> legs, bool inner, string? withSource)
    {
        var pairs = new List<(string Name, string Type)>();
        foreach (var leg in legs)
        {
            foreach (var column in leg.Schema.Columns)
            {
                if (!pairs.Contains((column.Name, column.Type)))
                {
                    pairs.Add((column.Name, column.Type));
                }
            }
        }

        if (inner)
        {
            pairs.RemoveAll(p => !legs.TrueForAll(l => l.Schema.IndexOf(p.Name) is >= 0 and var i && l.Schema[i].Type == p.Type));
        }

        var offset = withSource is null ? 0 : 1;
        var typesByName = pairs.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var columns = new List<HuntingColumnSchema>();
        if (withSource is not null)
        {
            columns.Add(new HuntingColumnSchema(withSource, "string"));
        }

        columns.AddRange(pairs.Select(p => new HuntingColumnSchema(typesByName[p.Name] > 1 ? $"{p.Name}_{p.Type}" : p.Name, p.Type)));
        var unionLegs = legs.Select(leg =>
        {
            var map = leg.Schema.Columns.Select(c => pairs.IndexOf((c.Name, c.Type)) is >= 0 and var i ? i + offset : -1).ToArray();
            var identity = offset == 0 && map.Length == columns.Count && map.Select((target, j) => target == j).All(same => same);
            return new UnionLeg(leg.Open, leg.Name, map, identity);
        }).ToArray();
        return new UnionOperator(new RowSchema(columns), unionLegs, withSource is null ? -1 : 0);
    }

    private static int AddTables(QueryScope scope, string prefix, List<(Func<IEnumerable<object?[]>>? Open, RowSchema Schema, string Name)> legs)
    {
        var added = 0;
        foreach (var name in scope.TableNames.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var source = scope.Source(name)!;
            legs.Add((source.Open, source.Schema, name));
            added++;
        }

        return added;
    }
}
