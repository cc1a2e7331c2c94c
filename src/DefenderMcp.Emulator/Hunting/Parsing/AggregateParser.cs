using DefenderMcp.Emulator.Hunting.Aggregates;
using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// Parses one <c>[Name =] aggregation(...)</c> of <c>summarize</c>. Binding waits for the <c>by</c> keys, because
/// <c>arg_max(x, *)</c> returns every column except the keys.
/// </summary>
internal static class AggregateParser
{
    /// <summary>The most values make_set/make_list keep by default (the service's default).</summary>
    private const int DefaultMaxValues = 1_048_576;

    public static Func<IReadOnlySet<string>, AggregateSpec> Parse(ScalarParser parser)
    {
        var reader = parser.Reader;
        string? alias = null;
        if (reader.IsNameNext && TokenReader.Matches(reader.PeekSecond, "="))
        {
            alias = reader.ExpectName();
            reader.Expect("=");
        }

        if (reader.Peek is not { Kind: KqlTokenKind.Identifier } function || !TokenReader.Matches(reader.PeekSecond, "("))
        {
            throw reader.Error("expected an aggregation function such as count()");
        }

        reader.Next();
        reader.Expect("(");
        var name = function.Text;
        if (name is "arg_max" or "arg_min")
        {
            return ParseArgExtreme(parser, alias, max: name == "arg_max");
        }

        var args = new List<Scalar>();
        if (!reader.Accept(")"))
        {
            do
            {
                args.Add(parser.Parse());
            }
            while (reader.Accept(","));
            reader.Expect(")");
        }

        var spec = Bind(name, args, alias);
        return _ => spec;
    }

    private static AggregateSpec Bind(string name, List<Scalar> args, string? alias)
    {
        AggregateSpec One(string defaultName, string type, Func<Accumulator> create) =>
            new([new HuntingColumnSchema(alias ?? defaultName, type)], create);

        string Named(string prefix) => $"{prefix}_{args[0].Name}";

        switch (name)
        {
            case "count":
                Arity(name, args, 0, 0);
                return One("count_", "long", () => new CountAccumulator(null));
            case "countif":
                Arity(name, args, 1, 1);
                ScalarParser.RequireBool(args[0], "The argument of 'countif'");
                var predicate = args[0].Test;
                return One("countif_", "long", () => new CountAccumulator(predicate));
            case "dcount" or "count_distinct":
                Arity(name, args, 1, 2);
                var distinct = args[0].Eval;
                return One(Named("dcount"), "long", () => new DistinctCountAccumulator(distinct, null));
            case "dcountif":
                Arity(name, args, 2, 3);
                ScalarParser.RequireBool(args[1], "The second argument of 'dcountif'");
                var (distinctIf, distinctWhen) = (args[0].Eval, args[1].Test);
                return One(Named("dcountif"), "long", () => new DistinctCountAccumulator(distinctIf, distinctWhen));
            case "sum" or "avg":
                Arity(name, args, 1, 1);
                if (!KqlValues.IsNumeric(args[0].Type) && args[0].Type != "dynamic")
                {
                    throw new HuntingQueryException($"Aggregation '{name}' expects a numeric argument, not {args[0].Type}.");
                }

                var numbers = args[0].Eval;
                var integral = args[0].Type is "long" or "int";
                var average = name == "avg";
                return One(Named(name), average || !integral ? "real" : "long", () => new SumAccumulator(numbers, integral, average));
            case "min" or "max":
                Arity(name, args, 1, 1);
                var values = args[0].Eval;
                var max = name == "max";
                return One(Named(name), args[0].Type, () => new ExtremeAccumulator(values, max));
            case "make_set" or "make_list":
                Arity(name, args, 1, 2);
                var limit = args.Count == 2 ? MaxSize(name, args[1]) : DefaultMaxValues;
                var items = args[0].Eval;
                var set = name == "make_set";
                var json = args[0].Type == "dynamic";
                return One(Named(set ? "set" : "list"), "dynamic", () => new CollectAccumulator(items, null, limit, set, json));
            case "make_set_if" or "make_list_if":
                Arity(name, args, 2, 3);
                ScalarParser.RequireBool(args[1], $"The second argument of '{name}'");
                var limitIf = args.Count == 3 ? MaxSize(name, args[2]) : DefaultMaxValues;
                var (itemsIf, itemsWhen) = (args[0].Eval, args[1].Test);
                var setIf = name == "make_set_if";
                var jsonIf = args[0].Type == "dynamic";
                return One(Named(setIf ? "set" : "list"), "dynamic", () => new CollectAccumulator(itemsIf, itemsWhen, limitIf, setIf, jsonIf));
            case "take_any" or "any":
                Arity(name, args, 1, 1);
                var any = args[0].Eval;
                return One(Named("any"), args[0].Type, () => new AnyAccumulator(any));
            default:
                throw new HuntingQueryException($"Unsupported aggregation function '{name}' in the emulator.");
        }
    }

    private static Func<IReadOnlySet<string>, AggregateSpec> ParseArgExtreme(ScalarParser parser, string? alias, bool max)
    {
        var reader = parser.Reader;
        var key = parser.Parse();
        reader.Expect(",");
        var keyName = alias ?? key.Name ?? (max ? "max_" : "min_");
        if (reader.Accept("*"))
        {
            reader.Expect(")");
            var schema = parser.Schema;
            return byNames =>
            {
                var indexes = Enumerable.Range(0, schema.Count)
                    .Where(i => !byNames.Contains(schema[i].Name) && (key.Column != i || alias is not null))
                    .ToArray();
                return new AggregateSpec(
                    [new HuntingColumnSchema(keyName, key.Type), .. indexes.Select(i => schema[i])],
                    () => new ArgExtremeAccumulator(key.Eval, [.. indexes.Select(i => (Func<object?[], object?>)(row => row[i]))], max));
            };
        }

        var columns = new List<HuntingColumnSchema> { new(keyName, key.Type) };
        var evals = new List<Func<object?[], object?>>();
        var counter = 0;
        do
        {
            var (name, expression) = parser.ParseNamed();
            columns.Add(new HuntingColumnSchema(name ?? expression.Name ?? $"Column{++counter}", expression.Type));
            evals.Add(expression.Eval);
        }
        while (reader.Accept(","));
        reader.Expect(")");
        var spec = new AggregateSpec(columns, () => new ArgExtremeAccumulator(key.Eval, [.. evals], max));
        return _ => spec;
    }

    private static int MaxSize(string name, Scalar arg) =>
        arg.IsConstant && KqlValues.ToLong(arg.Value) is > 0 and var n
            ? (int)Math.Min(n, DefaultMaxValues)
            : throw new HuntingQueryException($"The second argument of '{name}' must be a positive constant.");

    private static void Arity(string name, List<Scalar> args, int min, int max)
    {
        if (args.Count < min || args.Count > max)
        {
            var expected = min == max ? $"{min}" : $"{min} to {max}";
            throw new HuntingQueryException($"Aggregation '{name}' expects {expected} argument(s), got {args.Count}.");
        }
    }
}
