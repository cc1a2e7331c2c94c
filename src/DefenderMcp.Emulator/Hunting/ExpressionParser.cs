using System.Globalization;
using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting;

/// <summary>Parses and compiles KQL scalar expressions against a column list (precedence climbing).</summary>
public sealed class ExpressionParser(IReadOnlyList<KqlToken> tokens, DateTime now)
{
    private static readonly HashSet<string> StringOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        "has", "!has", "has_cs", "!has_cs", "contains", "!contains", "contains_cs", "!contains_cs", "startswith", "!startswith",
        "startswith_cs", "endswith", "!endswith", "endswith_cs", "in", "!in", "in~", "!in~", "has_any", "between", "!between", "matches",
    };

    /// <summary>Index of the next token.</summary>
    public int Position { get; set; }

    /// <summary>The columns expressions resolve against.</summary>
    public IReadOnlyList<HuntingColumnSchema> Columns { get; set; } = [];

    /// <summary>The current token, or null at the end.</summary>
    public KqlToken? Peek => Position < tokens.Count ? tokens[Position] : null;

    /// <summary>Parses one expression.</summary>
    public Expr Parse() => Or();

    /// <summary>Parses <c>[Name =] expression</c>; an unnamed, non-column expression is called Column1, Column2 ...</summary>
    public (string Name, Expr Expr) NamedExpression(ref int counter)
    {
        var start = Position;
        string? alias = null;
        if (Peek?.Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier)
        {
            var name = Name();
            if (Accept("="))
            {
                alias = name;
            }
            else
            {
                Position = start;
            }
        }

        var expr = Parse();
        return (alias ?? expr.Name ?? $"Column{++counter}", expr);
    }

    /// <summary>Consumes <paramref name="text"/> or throws.</summary>
    public void Expect(string text)
    {
        if (Peek is null || !Peek.Is(text))
        {
            throw new HuntingQueryException($"Syntax error: expected '{text}'{(Peek is null ? " at the end of the query" : $" near '{Peek.Text}'")}.");
        }

        Position++;
    }

    /// <summary>Consumes <paramref name="text"/> when it is next.</summary>
    public bool Accept(string text)
    {
        if (Peek is not null && Peek.Is(text))
        {
            Position++;
            return true;
        }

        return false;
    }

    /// <summary>Reads a column or alias name.</summary>
    public string Name()
    {
        var t = Peek ?? throw new HuntingQueryException("Syntax error: expected a name at the end of the query.");
        if (t.Kind is not (KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier))
        {
            throw new HuntingQueryException($"Syntax error: expected a name near '{t.Text}'.");
        }

        Position++;
        return t.Value;
    }

    private Expr Or()
    {
        var left = And();
        while (Accept("or"))
        {
            var l = left;
            var r = And();
            left = new Expr("bool", row => Truthy(l.Eval(row)) || Truthy(r.Eval(row)));
        }

        return left;
    }

    private Expr And()
    {
        var left = Comparison();
        while (Accept("and"))
        {
            var l = left;
            var r = Comparison();
            left = new Expr("bool", row => Truthy(l.Eval(row)) && Truthy(r.Eval(row)));
        }

        return left;
    }

    private Expr Comparison()
    {
        var left = Additive();
        var op = Peek;
        if (op is null)
        {
            return left;
        }

        if (op.Kind == KqlTokenKind.Punctuation && op.Text is "==" or "!=" or "=~" or "!~" or "<" or "<=" or ">" or ">=" or "<>")
        {
            Position++;
            var right = Additive();
            var l = left;
            return op.Text switch
            {
                "==" => new Expr("bool", row => ValueEquals(l.Eval(row), right.Eval(row), false)),
                "!=" or "<>" => new Expr("bool", row => !ValueEquals(l.Eval(row), right.Eval(row), false)),
                "=~" => new Expr("bool", row => ValueEquals(l.Eval(row), right.Eval(row), true)),
                "!~" => new Expr("bool", row => !ValueEquals(l.Eval(row), right.Eval(row), true)),
                _ => new Expr("bool", row => CompareOrNull(l.Eval(row), right.Eval(row)) is { } c && op.Text switch
                {
                    "<" => c < 0,
                    "<=" => c <= 0,
                    ">" => c > 0,
                    _ => c >= 0,
                }),
            };
        }

        if (!StringOperators.Contains(op.Text))
        {
            return left;
        }

        Position++;
        var name = op.Text.ToLowerInvariant();
        if (name is "in" or "!in" or "in~" or "!in~" or "has_any")
        {
            var list = ListLiteral();
            var ci = name is "in~" or "!in~" or "has_any";
            var negate = name.StartsWith('!');
            var l = left;
            if (name == "has_any")
            {
                return new Expr("bool", row => ToStr(l.Eval(row)) is { } s && list.Any(v => HasTerm(s, ToStr(v) ?? string.Empty, false)));
            }

            return new Expr("bool", row => negate ^ list.Any(v => ValueEquals(l.Eval(row), v, ci)));
        }

        if (name is "between" or "!between")
        {
            Expect("(");
            var low = Additive();
            Expect("..");
            var high = Additive();
            Expect(")");
            var l = left;
            var negate = name.StartsWith('!');
            return new Expr("bool", row =>
            {
                var v = l.Eval(row);
                return negate ^ (CompareOrNull(v, low.Eval(row)) >= 0 && CompareOrNull(v, high.Eval(row)) <= 0);
            });
        }

        if (name == "matches")
        {
            throw new HuntingQueryException("Unsupported operator 'matches regex' in the emulator.");
        }

        var rightText = Additive();
        var left2 = left;
        Func<string, string, bool> test = name.TrimStart('!') switch
        {
            "has" => (s, v) => HasTerm(s, v, false),
            "has_cs" => (s, v) => HasTerm(s, v, true),
            "contains" => (s, v) => s.Contains(v, StringComparison.OrdinalIgnoreCase),
            "contains_cs" => (s, v) => s.Contains(v, StringComparison.Ordinal),
            "startswith" => (s, v) => s.StartsWith(v, StringComparison.OrdinalIgnoreCase),
            "startswith_cs" => (s, v) => s.StartsWith(v, StringComparison.Ordinal),
            "endswith" => (s, v) => s.EndsWith(v, StringComparison.OrdinalIgnoreCase),
            _ => (s, v) => s.EndsWith(v, StringComparison.Ordinal),
        };
        var neg = name.StartsWith('!');
        return new Expr("bool", row => neg ^ test(ToStr(left2.Eval(row)) ?? string.Empty, ToStr(rightText.Eval(row)) ?? string.Empty));
    }

    private Expr Additive()
    {
        var left = Multiplicative();
        while (Peek is { Kind: KqlTokenKind.Punctuation } p && p.Text is "+" or "-")
        {
            Position++;
            var right = Multiplicative();
            var l = left;
            var minus = p.Text == "-";
            var type = l.Type == "datetime" && right.Type == "timespan" ? "datetime" : l.Type == "datetime" && right.Type == "datetime" ? "timespan" : l.Type is "real" || right.Type is "real" ? "real" : l.Type;
            left = new Expr(type, row => Arithmetic(l.Eval(row), right.Eval(row), minus ? '-' : '+'));
        }

        return left;
    }

    private Expr Multiplicative()
    {
        var left = Unary();
        while (Peek is { Kind: KqlTokenKind.Punctuation } p && p.Text is "*" or "/" or "%")
        {
            Position++;
            var right = Unary();
            var l = left;
            var op = p.Text[0];
            left = new Expr(l.Type == "timespan" ? "timespan" : l.Type is "real" || right.Type is "real" || op == '/' ? "real" : l.Type, row => Arithmetic(l.Eval(row), right.Eval(row), op));
        }

        return left;
    }

    private Expr Unary()
    {
        if (Accept("-"))
        {
            var inner = Unary();
            return new Expr(inner.Type, row => Arithmetic(0L, inner.Eval(row), '-'));
        }

        return Primary();
    }

    private Expr Primary()
    {
        var t = Peek ?? throw new HuntingQueryException("Syntax error: unexpected end of the query.");
        Position++;
        switch (t.Kind)
        {
            case KqlTokenKind.String:
                var s = t.Value;
                return new Expr("string", _ => s);
            case KqlTokenKind.Number:
                if (t.Text.Contains('.') || t.Text.Contains('e') || t.Text.Contains('E'))
                {
                    var d = double.Parse(t.Text, CultureInfo.InvariantCulture);
                    return new Expr("real", _ => d);
                }

                var n = t.Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? long.Parse(t.Text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) : long.Parse(t.Text, CultureInfo.InvariantCulture);
                return new Expr("long", _ => n);
            case KqlTokenKind.Timespan:
                var span = ParseTimespan(t.Text);
                return new Expr("timespan", _ => span);
            case KqlTokenKind.Goo:
                return Goo(t);
            case KqlTokenKind.QuotedIdentifier:
                return Column(t.Value);
            case KqlTokenKind.Punctuation when t.Text == "(":
                var inner = Parse();
                Expect(")");
                return inner;
            case KqlTokenKind.Identifier:
                if (t.Text is "true" or "false" or "True" or "False" or "TRUE" or "FALSE")
                {
                    var b = t.Text.Equals("true", StringComparison.OrdinalIgnoreCase);
                    return new Expr("bool", _ => b);
                }

                if (Peek is not null && Peek.Is("("))
                {
                    return Function(t.Text);
                }

                return Column(t.Text);
            default:
                throw new HuntingQueryException($"Syntax error near '{t.Text}'.");
        }
    }

    private Expr Column(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.Ordinal))
            {
                var index = i;
                return new Expr(Columns[i].Type, row => row[index], name);
            }
        }

        throw new HuntingQueryException($"Failed to resolve scalar expression named '{name}'.");
    }

    private Expr Function(string name)
    {
        Expect("(");
        var args = new List<Expr>();
        if (!Accept(")"))
        {
            do
            {
                args.Add(Parse());
            }
            while (Accept(","));
            Expect(")");
        }

        Expr Arg(int i) => i < args.Count ? args[i] : throw new HuntingQueryException($"Function '{name}' expects more arguments.");
        switch (name)
        {
            case "ago":
                var a = Arg(0);
                return new Expr("datetime", row => a.Eval(row) is TimeSpan ts ? now - ts : null);
            case "now":
                return new Expr("datetime", _ => now);
            case "tolower":
                var lo = Arg(0);
                return new Expr("string", row => ToStr(lo.Eval(row))?.ToLowerInvariant());
            case "toupper":
                var up = Arg(0);
                return new Expr("string", row => ToStr(up.Eval(row))?.ToUpperInvariant());
            case "isnotempty" or "isempty":
                var e = Arg(0);
                var notEmpty = name == "isnotempty";
                return new Expr("bool", row => notEmpty ^ string.IsNullOrEmpty(ToStr(e.Eval(row))));
            case "isnull" or "isnotnull":
                var nl = Arg(0);
                var notNull = name == "isnotnull";
                return new Expr("bool", row => notNull ^ (nl.Eval(row) is null));
            case "strlen":
                var sl = Arg(0);
                return new Expr("long", row => (long?)ToStr(sl.Eval(row))?.Length);
            case "tostring":
                var tsx = Arg(0);
                return new Expr("string", row => ToStr(tsx.Eval(row)));
            case "strcat":
                return new Expr("string", row => string.Concat(args.Select(x => ToStr(x.Eval(row)))));
            case "bin":
                var value = Arg(0);
                var size = Arg(1);
                return new Expr(value.Type, row => Bin(value.Eval(row), size.Eval(row)));
            case "iff" or "iif":
                var c = Arg(0);
                var t = Arg(1);
                var f = Arg(2);
                return new Expr(t.Type, row => Truthy(c.Eval(row)) ? t.Eval(row) : f.Eval(row));
            case "not":
                var inner = Arg(0);
                return new Expr("bool", row => !Truthy(inner.Eval(row)));
            case "dynamic":
                return new Expr("dynamic", _ => null);
            default:
                throw new HuntingQueryException($"Unsupported function '{name}' in the emulator.");
        }
    }

    private List<object?> ListLiteral()
    {
        Expect("(");
        var values = new List<object?>();
        if (!Accept(")"))
        {
            do
            {
                values.Add(Primary().Eval([]));
            }
            while (Accept(","));
            Expect(")");
        }

        return values;
    }

    private static Expr Goo(KqlToken t)
    {
        var word = t.Text[..t.Text.IndexOf('(', StringComparison.Ordinal)];
        var inner = t.Value;
        switch (word)
        {
            case "datetime" or "date":
                if (!DateTime.TryParse(inner, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
                {
                    throw new HuntingQueryException($"Invalid datetime literal '{inner}'.");
                }

                return new Expr("datetime", _ => dt);
            case "timespan" or "time":
                var ts = ParseTimespan(inner);
                return new Expr("timespan", _ => ts);
            case "long" or "int" or "int64" or "int32":
                var n = long.Parse(inner, CultureInfo.InvariantCulture);
                return new Expr("long", _ => n);
            case "real" or "double":
                var d = double.Parse(inner, CultureInfo.InvariantCulture);
                return new Expr("real", _ => d);
            case "bool" or "boolean":
                var b = bool.Parse(inner);
                return new Expr("bool", _ => b);
            default:
                throw new HuntingQueryException($"Unsupported literal '{word}(...)' in the emulator.");
        }
    }

    /// <summary>Parses a KQL timespan literal such as 7d, 2h, 30m, 30min, 15s, 100ms.</summary>
    public static TimeSpan ParseTimespan(string text)
    {
        var i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        if (i == 0 || !double.TryParse(text[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw new HuntingQueryException($"Invalid timespan '{text}'.");
        }

        return text[i..] switch
        {
            "d" or "day" or "days" => TimeSpan.FromDays(n),
            "h" or "hr" or "hrs" or "hour" or "hours" => TimeSpan.FromHours(n),
            "m" or "min" or "minute" or "minutes" => TimeSpan.FromMinutes(n),
            "s" or "sec" or "second" or "seconds" => TimeSpan.FromSeconds(n),
            "ms" or "millisecond" or "milliseconds" => TimeSpan.FromMilliseconds(n),
            "tick" or "ticks" => TimeSpan.FromTicks((long)n),
            "microsecond" or "microseconds" or "micro" or "micros" => TimeSpan.FromMicroseconds(n),
            _ => throw new HuntingQueryException($"Invalid timespan '{text}'."),
        };
    }

    /// <summary>KQL truthiness: only true is true.</summary>
    public static bool Truthy(object? value) => value is true;

    /// <summary>The string form of a cell.</summary>
    public static string? ToStr(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime dt => dt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Equality with numeric widening; strings optionally case-insensitive.</summary>
    public static bool ValueEquals(object? a, object? b, bool ignoreCase)
    {
        if (a is string sa && b is string sb)
        {
            return string.Equals(sa, sb, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }

        return CompareOrNull(a, b) == 0;
    }

    /// <summary>Orders two cells, or null when they cannot be compared.</summary>
    public static int? CompareOrNull(object? a, object? b) => (a, b) switch
    {
        (null, _) or (_, null) => null,
        (string x, string y) => string.CompareOrdinal(x, y),
        (DateTime x, DateTime y) => x.CompareTo(y),
        (TimeSpan x, TimeSpan y) => x.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        _ when IsNumber(a) && IsNumber(b) => Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture)),
        _ => null,
    };

    private static bool IsNumber(object o) => o is long or int or double;

    private static object? Arithmetic(object? a, object? b, char op) => (a, b, op) switch
    {
        (null, _, _) or (_, null, _) => null,
        (DateTime x, TimeSpan y, '+') => x + y,
        (DateTime x, TimeSpan y, '-') => x - y,
        (DateTime x, DateTime y, '-') => x - y,
        (TimeSpan x, TimeSpan y, '+') => x + y,
        (TimeSpan x, TimeSpan y, '-') => x - y,
        (TimeSpan x, _, '*') when IsNumber(b!) => x * Convert.ToDouble(b, CultureInfo.InvariantCulture),
        (long x, long y, '+') => x + y,
        (long x, long y, '-') => x - y,
        (long x, long y, '*') => x * y,
        (long x, long y, '%') when y != 0 => x % y,
        (int x, int y, '+') => (long)x + y,
        _ when IsNumber(a!) && IsNumber(b!) => op switch
        {
            '+' => Convert.ToDouble(a, CultureInfo.InvariantCulture) + Convert.ToDouble(b, CultureInfo.InvariantCulture),
            '-' => Convert.ToDouble(a, CultureInfo.InvariantCulture) - Convert.ToDouble(b, CultureInfo.InvariantCulture),
            '*' => Convert.ToDouble(a, CultureInfo.InvariantCulture) * Convert.ToDouble(b, CultureInfo.InvariantCulture),
            '/' => Convert.ToDouble(b, CultureInfo.InvariantCulture) == 0 ? null : Convert.ToDouble(a, CultureInfo.InvariantCulture) / Convert.ToDouble(b, CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };

    private static object? Bin(object? value, object? size) => (value, size) switch
    {
        (DateTime dt, TimeSpan ts) when ts > TimeSpan.Zero => new DateTime(dt.Ticks - (dt.Ticks % ts.Ticks), DateTimeKind.Utc),
        (long l, long s) when s > 0 => l - (l % s),
        (int l, long s) when s > 0 => l - (l % s),
        _ => null,
    };

    /// <summary>KQL <c>has</c>: <paramref name="term"/> matches whole alphanumeric terms of <paramref name="text"/>.</summary>
    public static bool HasTerm(string text, string term, bool caseSensitive)
    {
        if (term.Length == 0)
        {
            return true;
        }

        var comparison = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var index = 0;
        while ((index = text.IndexOf(term, index, comparison)) >= 0)
        {
            var before = index == 0 || !char.IsLetterOrDigit(text[index - 1]) || !char.IsLetterOrDigit(term[0]);
            var end = index + term.Length;
            var after = end == text.Length || !char.IsLetterOrDigit(text[end]) || !char.IsLetterOrDigit(term[^1]);
            if (before && after)
            {
                return true;
            }

            index++;
        }

        return false;
    }
}
