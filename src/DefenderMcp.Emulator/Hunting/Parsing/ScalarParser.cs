using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// Parses a KQL scalar expression and compiles it against <paramref name="schema"/> in one pass (precedence climbing:
/// or, and, comparison and string operators, + -, * / %, unary minus, primaries). With
/// <paramref name="searchCaseSensitive"/> set it parses a <c>search</c> predicate, where a bare string is a term looked
/// for in every column, <c>Col:"term"</c> one in a column, and <c>*</c> matches everything.
/// </summary>
internal sealed class ScalarParser(TokenReader reader, QueryScope scope, RowSchema schema, bool? searchCaseSensitive = null)
{
    private static readonly HashSet<string> ComparisonOperators = new(StringComparer.Ordinal) { "==", "!=", "<>", "=~", "!~", "<", "<=", ">", ">=" };

    private static readonly HashSet<string> UnsupportedStringOperators = new(StringComparer.Ordinal)
    {
        "has_any_cs", "has_all_cs", "contains_any", "like", "!like", "matches_regex",
    };

    /// <summary>How deeply expressions may nest; the parser recurses, and the query is untrusted.</summary>
    private const int MaxDepth = 64;

    private int depth;

    /// <summary>The columns names resolve against.</summary>
    public RowSchema Schema => schema;

    /// <summary>The token cursor (shared with the operator parser).</summary>
    public TokenReader Reader => reader;

    /// <summary>Parses one expression.</summary>
    public Scalar Parse()
    {
        Enter();
        try
        {
            return Or();
        }
        finally
        {
            depth--;
        }
    }

    /// <summary>Parses <c>[Name =] expression</c>; the alias is null when none is given.</summary>
    public (string? Alias, Scalar Expression) ParseNamed()
    {
        if (reader.IsNameNext && TokenReader.Matches(reader.PeekSecond, "="))
        {
            var alias = reader.ExpectName();
            reader.Expect("=");
            return (alias, Parse());
        }

        return (null, Parse());
    }

    /// <summary>Throws unless <paramref name="expression"/> is a predicate.</summary>
    public static void RequireBool(Scalar expression, string where)
    {
        if (expression.Type is not ("bool" or "dynamic"))
        {
            throw new HuntingQueryException($"{where} must be a bool expression, not {expression.Type}.");
        }
    }

    private Scalar Or()
    {
        var left = And();
        while (reader.Accept("or"))
        {
            var right = And();
            RequireBool(left, "The operand of 'or'");
            RequireBool(right, "The operand of 'or'");
            var (a, b) = (left.Test, right.Test);
            left = Scalar.FoldPredicate(row => a(row) || b(row), left, right);
        }

        return left;
    }

    private Scalar And()
    {
        var left = Comparison();
        while (reader.Accept("and"))
        {
            var right = Comparison();
            RequireBool(left, "The operand of 'and'");
            RequireBool(right, "The operand of 'and'");
            var (a, b) = (left.Test, right.Test);
            left = Scalar.FoldPredicate(row => a(row) && b(row), left, right);
        }

        return left;
    }

    private Scalar Comparison()
    {
        var left = Additive();
        if (searchCaseSensitive is { } caseSensitive && SearchTerm(left, caseSensitive) is { } term)
        {
            return term;
        }

        if (reader.Peek is not { Kind: KqlTokenKind.Identifier or KqlTokenKind.Punctuation } token)
        {
            return left;
        }

        var op = token.Text;
        if (token.Kind == KqlTokenKind.Punctuation && ComparisonOperators.Contains(op))
        {
            reader.Next();
            return Predicates.Compare(op, left, Additive());
        }

        switch (op)
        {
            case "in" or "!in" or "in~" or "!in~":
                reader.Next();
                return Predicates.In(left, ValueList(op), caseInsensitive: op.EndsWith('~'), negate: op[0] == '!');
            case "has_any" or "has_all":
                reader.Next();
                return Predicates.HasAny(left, ValueList(op), all: op == "has_all");
            case "between" or "!between":
                reader.Next();
                reader.Expect("(");
                var low = Additive();
                reader.Expect("..");
                var high = Additive();
                reader.Expect(")");
                return Predicates.Between(left, low, high, negate: op[0] == '!');
            case "matches":
                reader.Next();
                reader.Expect("regex");
                return Regex(left, Additive());
        }

        if (UnsupportedStringOperators.Contains(op))
        {
            throw new HuntingQueryException($"Unsupported operator '{op}' in the emulator.");
        }

        var negate = op.StartsWith('!');
        var name = negate ? op[1..] : op;
        if (StringMatch.For(name) is not { } test)
        {
            return left;
        }

        // search kind=case_sensitive makes every string operator of its predicate case-sensitive.
        if (searchCaseSensitive is true && !name.EndsWith("_cs", StringComparison.Ordinal) && StringMatch.For(name + "_cs") is { } sensitive)
        {
            test = sensitive;
        }

        reader.Next();
        return Predicates.StringOperator(left, Additive(), test, negate);
    }

    /// <summary>In a search predicate: <c>"term"</c> alone, or <c>Column:"term"</c>; null for an ordinary expression.</summary>
    private Scalar? SearchTerm(Scalar left, bool caseSensitive)
    {
        if (left.Column >= 0 && reader.IsNext(":"))
        {
            reader.Next();
            var term = reader.Next();
            return term.Kind == KqlTokenKind.String
                ? SearchTerms.InColumn(left, term.Value, caseSensitive)
                : throw TokenReader.ErrorAt(term, "expected a string after 'Column:' in search");
        }

        var alone = reader.AtEnd || reader.IsNext("and") || reader.IsNext("or") || reader.IsNext(")") || reader.IsNext("|") || reader.IsNext(";");
        return alone && left.IsConstant && left.Type == "string" && left.Value is string text
            ? SearchTerms.InAnyColumn(schema, text, caseSensitive)
            : null;
    }

    private Scalar Additive()
    {
        var left = Multiplicative();
        while (reader.Peek is { Kind: KqlTokenKind.Punctuation, Text: "+" or "-" } token)
        {
            reader.Next();
            left = Arithmetic.Bind(token.Text[0], left, Multiplicative());
        }

        return left;
    }

    private Scalar Multiplicative()
    {
        var left = Unary();
        while (reader.Peek is { Kind: KqlTokenKind.Punctuation, Text: "*" or "/" or "%" } token)
        {
            reader.Next();
            left = Arithmetic.Bind(token.Text[0], left, Unary());
        }

        return left;
    }

    private Scalar Unary()
    {
        if (reader.IsNext("-") || reader.IsNext("+"))
        {
            Enter();
            try
            {
                var minus = reader.Accept("-");
                if (!minus)
                {
                    reader.Expect("+");
                }

                var operand = Unary();
                return minus ? Arithmetic.Negate(operand) : operand;
            }
            finally
            {
                depth--;
            }
        }

        var primary = Primary();
        while (Accessor(primary) is { } accessed)
        {
            primary = accessed;
        }

        return primary;
    }

    /// <summary><c>x.name</c>, <c>x['name']</c> or <c>x[index]</c> after a dynamic expression, or null when none follows.</summary>
    private Scalar? Accessor(Scalar target)
    {
        string? property;
        long index = 0;
        if (reader.Peek is { Kind: KqlTokenKind.Punctuation, Text: "." } && reader.PeekSecond is { Kind: KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier })
        {
            reader.Next();
            property = reader.Next().Value;
        }
        else if (reader.Peek is { Kind: KqlTokenKind.QuotedIdentifier } bracketed && reader.Previous is { } previous && bracketed.Start == previous.Start + previous.Text.Length)
        {
            // The lexer reads x['name'] as x followed by a bracketed name.
            property = reader.Next().Value;
        }
        else if (reader.IsNext("["))
        {
            reader.Next();
            var key = Parse();
            reader.Expect("]");
            if (!key.IsConstant || key.Value is not (string or long or int))
            {
                throw new HuntingQueryException("A dynamic index must be a constant string or integer.");
            }

            property = key.Value as string;
            index = KqlValues.ToLong(key.Value) ?? 0;
        }
        else
        {
            return null;
        }

        if (target.Type != "dynamic")
        {
            throw new HuntingQueryException($"Property access needs a dynamic value, not {target.Type}; use parse_json() or todynamic() first.");
        }

        var eval = target.Eval;
        var name = target.Name is { } baseName ? $"{baseName}_{property ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : null;
        var access = Scalar.Fold("dynamic", row => DynamicJson.Access(eval(row), property, index), target);
        return name is null || access.IsConstant ? access : Scalar.Of("dynamic", access.Eval, name);
    }

    private Scalar Primary()
    {
        var token = reader.Next();
        switch (token.Kind)
        {
            case KqlTokenKind.String:
                var text = token.Value;
                while (reader.Peek is { Kind: KqlTokenKind.String })
                {
                    // Adjacent string literals are one literal in KQL.
                    text += reader.Next().Value;
                }

                return Scalar.Constant("string", text);
            case KqlTokenKind.Number:
                return Literals.Number(token);
            case KqlTokenKind.Timespan:
                return Scalar.Constant("timespan", KqlValues.ParseTimespan(token.Text) ?? throw new HuntingQueryException($"Invalid timespan literal '{token.Text}'."));
            case KqlTokenKind.Goo:
                return Literals.Goo(token);
            case KqlTokenKind.QuotedIdentifier:
                return Resolve(token.Value);
            case KqlTokenKind.Punctuation when token.Text == "(":
                var inner = Parse();
                reader.Expect(")");
                return inner;
            case KqlTokenKind.Punctuation when token.Text == "*" && searchCaseSensitive is not null:
                return Scalar.Constant("bool", true);
            case KqlTokenKind.Identifier when token.Text is "true" or "True" or "TRUE":
                return Scalar.Constant("bool", true);
            case KqlTokenKind.Identifier when token.Text is "false" or "False" or "FALSE":
                return Scalar.Constant("bool", false);
            case KqlTokenKind.Identifier when reader.IsNext("("):
                return Call(token);
            case KqlTokenKind.Identifier:
                return Resolve(token.Text);
            default:
                throw TokenReader.ErrorAt(token, "unexpected token in an expression");
        }
    }

    private void Enter()
    {
        if (++depth > MaxDepth)
        {
            throw new HuntingQueryException($"The expression is nested too deeply (more than {MaxDepth} levels).");
        }
    }

    private Scalar Resolve(string name)
    {
        var index = schema.IndexOf(name);
        if (index >= 0)
        {
            return Scalar.ColumnRef(schema[index].Type, index, name);
        }

        if (scope.Scalars.TryGetValue(name, out var bound))
        {
            return bound;
        }

        throw new HuntingQueryException($"Failed to resolve scalar expression named '{name}'.");
    }

    private Scalar Call(KqlToken name)
    {
        if (name.Text == "dynamic")
        {
            return Dynamic();
        }

        Functions.RequireKnown(name.Text);
        reader.Expect("(");
        var args = new List<Scalar>();
        if (!reader.Accept(")"))
        {
            do
            {
                args.Add(Parse());
            }
            while (reader.Accept(","));
            reader.Expect(")");
        }

        return Functions.Bind(name.Text, args, scope.Now);
    }

    /// <summary><c>dynamic([literal, ...])</c> or <c>dynamic(null)</c>; the value is JSON text.</summary>
    private Scalar Dynamic()
    {
        reader.Expect("(");
        if (reader.Accept("null"))
        {
            reader.Expect(")");
            return Scalar.Constant("dynamic", null);
        }

        if (reader.Peek is { Kind: KqlTokenKind.QuotedIdentifier } single)
        {
            // The lexer reads dynamic(['x']) as a bracketed name; here it is a one-string array.
            reader.Next();
            reader.Expect(")");
            return Scalar.Constant("dynamic", DynamicJson.Array([single.Value]));
        }

        if (!reader.Accept("["))
        {
            throw new HuntingQueryException("Unsupported dynamic literal: the emulator supports dynamic([...]) arrays of literals.");
        }

        var values = new List<object?>();
        if (!reader.Accept("]"))
        {
            do
            {
                if (reader.Accept("null"))
                {
                    values.Add(null);
                    continue;
                }

                var element = Unary();
                values.Add(element.IsConstant ? element.Value : throw new HuntingQueryException("dynamic([...]) elements must be literals."));
            }
            while (reader.Accept(","));
            reader.Expect("]");
        }

        reader.Expect(")");
        return Scalar.Constant("dynamic", DynamicJson.Array(values));
    }

    /// <summary>The parenthesized list after <c>in</c>, <c>has_any</c> and friends.</summary>
    private List<Scalar> ValueList(string op)
    {
        reader.Expect("(");
        if (reader.Peek is { Kind: KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier } first && scope.IsTabular(first.Value) && schema.IndexOf(first.Value) < 0)
        {
            throw new HuntingQueryException($"Unsupported: a tabular subquery after '{op}' is not supported by the emulator.");
        }

        var items = new List<Scalar>();
        if (!reader.Accept(")"))
        {
            do
            {
                items.Add(Parse());
            }
            while (reader.Accept(","));
            reader.Expect(")");
        }

        return items;
    }

    private static Scalar Regex(Scalar left, Scalar pattern)
    {
        var regex = Patterns.Compile(pattern, "'matches regex'");
        var eval = left.Eval;
        return Scalar.FoldPredicate(row => regex.IsMatch(KqlValues.ToText(eval(row)) ?? string.Empty), left);
    }
}
