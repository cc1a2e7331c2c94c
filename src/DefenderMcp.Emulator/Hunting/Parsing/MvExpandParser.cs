using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Emulator.Hunting.Operators;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// Parses <c>mv-expand [kind=bag|array] [with_itemindex=Name] [Name =] Expr [to typeof(T)], ... [limit N]</c>. An
/// expansion named like an input column replaces it; otherwise it is a new column. Without <c>to typeof()</c> the
/// column is dynamic; with it, elements that are not of that type become empty (a cast, not a conversion).
/// </summary>
internal static class MvExpandParser
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal) { "kind", "bagexpansion", "with_itemindex" };

    public static MvExpandOperator Parse(TokenReader reader, QueryScope scope, RowSchema schema)
    {
        var parameters = OperatorParameters.Parse(reader, Allowed);
        var bagAsArray = (parameters.GetValueOrDefault("kind") ?? parameters.GetValueOrDefault("bagexpansion") ?? "bag") switch
        {
            "bag" => false,
            "array" => true,
            var other => throw new HuntingQueryException($"Unsupported mv-expand kind '{other}' in the emulator (bag or array)."),
        };

        var parser = new ScalarParser(reader, scope, schema);
        var columns = schema.Columns.ToList();
        var expansions = new List<MvExpansion>();
        var counter = 0;
        do
        {
            var (alias, expression) = parser.ParseNamed();
            if (expression.Type != "dynamic")
            {
                throw new HuntingQueryException($"mv-expand expands dynamic arrays and property bags, not {expression.Type}; use parse_json() or todynamic() first.");
            }

            var name = alias ?? expression.Name ?? $"Column{++counter}";
            var (type, cast) = reader.Accept("to") ? TypeOf(reader) : ("dynamic", static v => v);
            var target = columns.FindIndex(c => c.Name == name);
            if (target >= 0)
            {
                columns[target] = new HuntingColumnSchema(name, type);
            }
            else
            {
                target = columns.Count;
                columns.Add(new HuntingColumnSchema(name, type));
            }

            expansions.Add(new MvExpansion(expression.Eval, target, cast, bagAsArray));
        }
        while (reader.Accept(","));

        var limit = long.MaxValue;
        if (reader.Accept("limit"))
        {
            var value = new ScalarParser(reader, scope, RowSchema.Empty).Parse();
            limit = value.IsConstant && KqlValues.ToLong(value.Value) is >= 0 and var n
                ? n
                : throw new HuntingQueryException("The mv-expand limit must be a non-negative integer constant.");
        }

        var indexColumn = -1;
        if (parameters.TryGetValue("with_itemindex", out var indexName))
        {
            indexColumn = columns.Count;
            columns.Add(new HuntingColumnSchema(indexName, "long"));
        }

        return new MvExpandOperator(new RowSchema(columns), [.. expansions], indexColumn, limit);
    }

    private static (string Type, Func<object?, object?> Cast) TypeOf(TokenReader reader)
    {
        reader.Expect("typeof");
        reader.Expect("(");
        var name = reader.ExpectName("a type name");
        reader.Expect(")");
        return name switch
        {
            "dynamic" => ("dynamic", static v => v),
            "string" or "guid" => ("string", static v => v as string),
            "long" or "int64" => ("long", static v => KqlValues.ToLong(v)),
            "int" or "int32" => ("int", static v => KqlValues.ToLong(v) is >= int.MinValue and <= int.MaxValue and var l ? (int)l : null),
            "real" or "double" or "decimal" => ("real", static v => KqlValues.ToDouble(v)),
            "bool" or "boolean" => ("bool", static v => v as bool?),
            // Dynamic values hold datetimes and timespans as text here, so these two read the text.
            "datetime" or "date" => ("datetime", static v => KqlValues.ConvertToDateTime(v)),
            "timespan" or "time" => ("timespan", static v => v is string s ? KqlValues.ParseTimespan(s) : null),
            _ => throw new HuntingQueryException($"Unsupported type '{name}' in typeof() for mv-expand."),
        };
    }
}
