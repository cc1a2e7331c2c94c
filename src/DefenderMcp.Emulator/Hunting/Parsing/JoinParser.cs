using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Emulator.Hunting.Operators;
using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// Parses <c>join [kind=K] [hints] Right on Conditions</c> and <c>lookup [kind=leftouter|inner] Right on Conditions</c>.
/// Conditions are <c>Col</c> (the same name on both sides) or <c>$left.A == $right.B</c>, separated by commas or
/// <c>and</c>. Output columns as in Kusto: the left columns, then the right ones, a clashing right name getting the
/// suffix 1 (2, ... when that is taken); <c>lookup</c> leaves out the right key columns.
/// </summary>
internal static class JoinParser
{
    private static readonly HashSet<string> KindOnly = new(StringComparer.Ordinal) { "kind" };

    private static readonly Dictionary<string, JoinKind> JoinKinds = new(StringComparer.Ordinal)
    {
        ["innerunique"] = JoinKind.InnerUnique, ["inner"] = JoinKind.Inner, ["leftouter"] = JoinKind.LeftOuter,
        ["rightouter"] = JoinKind.RightOuter, ["fullouter"] = JoinKind.FullOuter, ["leftsemi"] = JoinKind.LeftSemi,
        ["leftanti"] = JoinKind.LeftAnti, ["anti"] = JoinKind.LeftAnti, ["leftantisemi"] = JoinKind.LeftAnti,
        ["rightsemi"] = JoinKind.RightSemi, ["rightanti"] = JoinKind.RightAnti, ["rightantisemi"] = JoinKind.RightAnti,
    };

    public static JoinOperator Parse(TokenReader reader, RowSchema left, Func<TabularSource> operand, int maxBuildRows, bool lookup)
    {
        var op = lookup ? "lookup" : "join";
        var parameters = OperatorParameters.Parse(reader, KindOnly);
        var kind = lookup ? JoinKind.LeftOuter : JoinKind.InnerUnique;
        if (parameters.TryGetValue("kind", out var named))
        {
            JoinKind? parsed = lookup
                ? named switch { "leftouter" => JoinKind.LeftOuter, "inner" => JoinKind.Inner, _ => null }
                : JoinKinds.TryGetValue(named, out var known) ? known : null;
            kind = parsed ?? throw new HuntingQueryException($"Unsupported {op} kind '{named}' in the emulator.");
        }

        var right = operand();
        reader.Expect("on");
        var keys = Conditions(reader, left, right.Schema, op);
        var rightKeys = keys.Select(k => k.Right).ToHashSet();
        int[] rightColumns = [.. Enumerable.Range(0, right.Schema.Count).Where(i => !lookup || !rightKeys.Contains(i))];
        RowSchema output = kind switch
        {
            JoinKind.LeftSemi or JoinKind.LeftAnti => left,
            JoinKind.RightSemi or JoinKind.RightAnti => right.Schema,
            _ => new RowSchema(WithSuffixes(left.Columns, rightColumns.Select(i => right.Schema[i]))),
        };
        if (kind is JoinKind.RightSemi or JoinKind.RightAnti)
        {
            rightColumns = [.. Enumerable.Range(0, right.Schema.Count)];
        }

        return new JoinOperator(output, right, keys, kind, rightColumns, maxBuildRows, op);
    }

    private static JoinKey[] Conditions(TokenReader reader, RowSchema left, RowSchema right, string op)
    {
        var keys = new List<JoinKey>();
        do
        {
            int l, r;
            if (reader.IsNext("$left") || reader.IsNext("$right"))
            {
                var (firstSide, first) = Qualified(reader, left, right, op);
                reader.Expect("==");
                var (secondSide, second) = Qualified(reader, left, right, op);
                if (firstSide == secondSide)
                {
                    throw new HuntingQueryException($"The {op} condition must compare a $left column with a $right column.");
                }

                (l, r) = firstSide == "$left" ? (first, second) : (second, first);
            }
            else
            {
                var name = reader.ExpectName($"a column name or $left.Column after 'on' in {op}");
                l = Resolve(left, name, "left", op);
                r = Resolve(right, name, "right", op);
            }

            keys.Add(new JoinKey(l, r, Normalizer(left[l], right[r], op)));
        }
        while (reader.Accept(",") || reader.Accept("and"));
        return [.. keys];
    }

    private static (string Side, int Index) Qualified(TokenReader reader, RowSchema left, RowSchema right, string op)
    {
        var side = reader.Next().Text;
        if (side is not ("$left" or "$right"))
        {
            throw reader.Error($"expected $left or $right in the {op} condition");
        }

        reader.Expect(".");
        var name = reader.ExpectName("a column name");
        return side == "$left" ? (side, Resolve(left, name, "left", op)) : (side, Resolve(right, name, "right", op));
    }

    private static int Resolve(RowSchema schema, string name, string side, string op)
    {
        var index = schema.IndexOf(name);
        return index >= 0 ? index : throw new HuntingQueryException($"Failed to resolve scalar expression named '{name}' on the {side} side of the {op}.");
    }

    /// <summary>How key cells compare: text as text (no null), integers as long, mixed numbers as real; other type pairs are an error.</summary>
    private static Func<object?, object?> Normalizer(HuntingColumnSchema left, HuntingColumnSchema right, string op)
    {
        static bool Text(string t) => t is "string" or "dynamic" or "guid";
        return (left.Type, right.Type) switch
        {
            var (a, b) when Text(a) && Text(b) => v => v as string ?? KqlValues.ToText(v) ?? string.Empty,
            ("int" or "long", "int" or "long") => v => KqlValues.ToLong(v),
            var (a, b) when KqlValues.IsNumeric(a) && KqlValues.IsNumeric(b) => v => KqlValues.ToDouble(v),
            var (a, b) when a == b => v => v,
            _ => throw new HuntingQueryException(
                $"The {op} keys '{left.Name}' ({left.Type}) and '{right.Name}' ({right.Type}) have different types; convert one side first (for example with tostring()).")
        };
    }

    /// <summary>Left names as they are; a right name already taken gets 1, then 2, ... (Kusto's DeviceName1).</summary>
    public static List<HuntingColumnSchema> WithSuffixes(IEnumerable<HuntingColumnSchema> left, IEnumerable<HuntingColumnSchema> right)
    {
        var result = left.ToList();
        var used = result.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var column in right)
        {
            var name = column.Name;
            for (var n = 1; !used.Add(name); n++)
            {
                name = $"{column.Name}{n}";
            }

            result.Add(name == column.Name ? column : column with { Name = name });
        }

        return result;
    }
}
