using DefenderMcp.Emulator.Hunting.Evaluation;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>Compiles comparisons and string predicates into delegates specialised by operand type.</summary>
internal static class Predicates
{
    /// <summary><c>== != &lt;&gt; =~ !~ &lt; &lt;= &gt; &gt;=</c>.</summary>
    public static Scalar Compare(string op, Scalar left, Scalar right)
    {
        RequireComparable(left, right);
        var (l, r) = (left.Eval, right.Eval);
        if (IsText(left) && IsText(right))
        {
            // KQL strings have no null: an empty cell is "".
            if (op is "==" or "!=" or "<>" or "=~" or "!~")
            {
                // A guid equals another by value: its text, whatever the case of its hex digits.
                var comparison = op is "=~" or "!~" || IsGuid(left, right) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                var negate = op is "!=" or "<>" or "!~";
                if (right.IsConstant)
                {
                    var constant = KqlValues.ToText(right.Value) ?? string.Empty;
                    return Scalar.FoldPredicate(row => negate ^ string.Equals(Text(l(row)), constant, comparison), left);
                }

                return Scalar.FoldPredicate(row => negate ^ string.Equals(Text(l(row)), Text(r(row)), comparison), left, right);
            }

            if (IsGuid(left, right))
            {
                // Kusto orders no guids: < <= > >= take numbers, datetimes and timespans.
                throw new HuntingQueryException($"Cannot compare values of types {left.Type} and {right.Type} with '{op}': guids are only equal or not.");
            }

            var order = Order(op);
            return Scalar.FoldPredicate(row => order(string.CompareOrdinal(Text(l(row)), Text(r(row)))), left, right);
        }

        if (op is "=~" or "!~")
        {
            throw new HuntingQueryException($"Operator '{op}' needs string operands, not {left.Type} and {right.Type}.");
        }

        return op switch
        {
            "==" => Scalar.FoldPredicate(row => KqlValues.ValueEquals(l(row), r(row)), left, right),
            "!=" or "<>" => Scalar.FoldPredicate(row => l(row) is { } a && r(row) is { } b && !KqlValues.ValueEquals(a, b), left, right),
            _ => CompareOrdered(Order(op), left, right),
        };
    }

    /// <summary><c>in</c>, <c>!in</c>, <c>in~</c>, <c>!in~</c>; dynamic arrays in the list are expanded.</summary>
    public static Scalar In(Scalar left, List<Scalar> items, bool caseInsensitive, bool negate)
    {
        var l = left.Eval;
        if (items.TrueForAll(i => i.IsConstant))
        {
            var values = Expand(items);
            if (IsText(left))
            {
                var set = new HashSet<string>(values.Select(v => KqlValues.ToText(v) ?? string.Empty), caseInsensitive || left.Type == "guid" ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                return Scalar.FoldPredicate(row => negate ^ set.Contains(Text(l(row))), left);
            }

            var array = values.ToArray();
            return Scalar.FoldPredicate(row => negate ^ Contains(array, l(row)), left);
        }

        var evals = items.Select(i => i.Eval).ToArray();
        var comparison = caseInsensitive || left.Type == "guid" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var text = IsText(left);
        return Scalar.Predicate(row =>
        {
            var value = l(row);
            foreach (var eval in evals)
            {
                var candidate = eval(row);
                if (text ? string.Equals(Text(value), Text(candidate), comparison) : KqlValues.ValueEquals(value, candidate))
                {
                    return !negate;
                }
            }

            return negate;
        });
    }

    /// <summary><c>has_any</c> / <c>has_all</c> over constant terms (case-insensitive, whole terms).</summary>
    public static Scalar HasAny(Scalar left, List<Scalar> items, bool all)
    {
        if (!items.TrueForAll(i => i.IsConstant))
        {
            throw new HuntingQueryException($"'{(all ? "has_all" : "has_any")}' needs constant values.");
        }

        var terms = Expand(items).Select(v => KqlValues.ToText(v) ?? string.Empty).ToArray();
        var l = left.Eval;
        return Scalar.FoldPredicate(
            row =>
            {
                var text = KqlValues.ToText(l(row));
                foreach (var term in terms)
                {
                    if (StringMatch.Has(text, term, false) != all)
                    {
                        return !all;
                    }
                }

                return all && terms.Length > 0;
            },
            left);
    }

    /// <summary><c>x between (low .. high)</c>; for datetimes, a timespan <paramref name="high"/> means low + span.</summary>
    public static Scalar Between(Scalar value, Scalar low, Scalar high, bool negate)
    {
        if (value.Type == "datetime" && low.Type == "datetime" && high.Type == "timespan")
        {
            high = Arithmetic.Bind('+', low, high);
        }

        RequireComparable(value, low);
        RequireComparable(value, high);
        var (v, lo, hi) = (value.Eval, low.Eval, high.Eval);
        return Scalar.FoldPredicate(
            row => v(row) is { } x && lo(row) is { } a && hi(row) is { } b && KqlValues.Compare(x, a) is { } c1 && KqlValues.Compare(x, b) is { } c2 && negate ^ (c1 >= 0 && c2 <= 0),
            value,
            low,
            high);
    }

    /// <summary>A binary string operator such as <c>has</c> or <c>!startswith</c>.</summary>
    public static Scalar StringOperator(Scalar left, Scalar right, Func<string?, string, bool> test, bool negate)
    {
        var l = left.Eval;
        if (right.IsConstant)
        {
            var constant = KqlValues.ToText(right.Value) ?? string.Empty;
            return Scalar.FoldPredicate(row => negate ^ test(KqlValues.ToText(l(row)), constant), left);
        }

        var r = right.Eval;
        return Scalar.FoldPredicate(row => negate ^ test(KqlValues.ToText(l(row)), KqlValues.ToText(r(row)) ?? string.Empty), left, right);
    }

    private static Scalar CompareOrdered(Func<int, bool> order, Scalar left, Scalar right)
    {
        var (l, r) = (left.Eval, right.Eval);
        if (right.IsConstant)
        {
            if (right.Value is null)
            {
                return Scalar.Constant("bool", false);
            }

            // The common "Timestamp > ago(1d)" shape: one typed test per row, the constant unboxed once.
            var constant = right.Value;
            switch (constant)
            {
                case DateTime limit when left.Type == "datetime":
                    return Scalar.FoldPredicate(row => l(row) is DateTime t && order(t.CompareTo(limit)), left);
                case long limit when left.Type == "long":
                    return Scalar.FoldPredicate(row => l(row) is long n && order(n.CompareTo(limit)), left);
            }

            return Scalar.FoldPredicate(row => l(row) is { } a && KqlValues.Compare(a, constant) is { } c && order(c), left);
        }

        return Scalar.FoldPredicate(row => l(row) is { } a && r(row) is { } b && KqlValues.Compare(a, b) is { } c && order(c), left, right);
    }

    private static Func<int, bool> Order(string op) => op switch
    {
        "<" => c => c < 0,
        "<=" => c => c <= 0,
        ">" => c => c > 0,
        _ => c => c >= 0,
    };

    private static bool Contains(object?[] values, object? value)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var candidate in values)
        {
            if (KqlValues.ValueEquals(value, candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static List<object?> Expand(List<Scalar> items)
    {
        var values = new List<object?>();
        foreach (var item in items)
        {
            if (item.Type == "dynamic" && DynamicJson.Elements(item.Value as string) is { } elements)
            {
                values.AddRange(elements);
            }
            else
            {
                values.Add(item.Value);
            }
        }

        return values;
    }

    private static void RequireComparable(Scalar left, Scalar right)
    {
        if (!Comparable(left.Type, right.Type))
        {
            throw new HuntingQueryException($"Cannot compare values of types {left.Type} and {right.Type}. Try adding explicit casts.");
        }
    }

    // A guid compares with a guid by value, and with a string as its text form (the emulator is lenient there: no published
    // source says whether Kusto compares a guid with a string or asks for a cast).
    private static bool Comparable(string a, string b) =>
        a == b || a == "dynamic" || b == "dynamic" || (KqlValues.IsNumeric(a) && KqlValues.IsNumeric(b)) || (a is "string" or "guid" && b is "string" or "guid");

    private static bool IsGuid(Scalar left, Scalar right) => left.Type == "guid" || right.Type == "guid";

    private static bool IsText(Scalar scalar) => scalar.Type is "string" or "dynamic" or "guid";

    private static string Text(object? value) => value as string ?? KqlValues.ToText(value) ?? string.Empty;
}
