using DefenderMcp.Emulator.Hunting.Aggregates;
using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Emulator.Hunting.Operators;
using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// Parses a query (<c>let</c> statements, then one tabular expression) and compiles each operator against the
/// columns the previous one produces, so unknown names fail before any row is read.
/// </summary>
internal sealed class QueryParser(TokenReader reader, QueryScope scope)
{
    private static readonly HashSet<string> UnsupportedStatements = new(StringComparer.Ordinal)
    {
        "set", "declare", "alias", "restrict", "pattern", "query_parameters",
    };

    private static readonly HashSet<string> TabularStarters = new(StringComparer.Ordinal)
    {
        "union", "print", "range", "datatable", "find", "search", "externaldata", "external_data", "evaluate", "materialize", "view", "cluster", "database", "table",
    };

    private static readonly HashSet<string> SearchParameters = new(StringComparer.Ordinal) { "kind" };

    private const int MaxTabularDepth = 16;

    private int tabularDepth;

    /// <summary>Parses the whole query and returns its (lazy) result.</summary>
    public TabularSource ParseQuery()
    {
        TabularSource? result = null;
        while (!reader.AtEnd)
        {
            if (reader.Accept(";"))
            {
                continue;
            }

            if (reader.IsNext("let"))
            {
                ParseLet();
                continue;
            }

            if (reader.Peek is { Kind: KqlTokenKind.Identifier } statement && UnsupportedStatements.Contains(statement.Text) && reader.PeekSecond is not { Text: "|" })
            {
                throw new HuntingQueryException($"Unsupported statement '{statement.Text}' in the emulator.");
            }

            if (result is not null)
            {
                throw new HuntingQueryException("The emulator runs one tabular statement per query; found another after ';'.");
            }

            result = ParseTabular();
            if (!reader.AtEnd && !reader.IsNext(";"))
            {
                throw reader.Error("unexpected token");
            }
        }

        return result ?? throw new HuntingQueryException("The query has no tabular expression to run.");
    }

    private void ParseLet()
    {
        reader.Expect("let");
        var name = reader.ExpectName("a name after 'let'");
        reader.Expect("=");
        // A function definition starts "()" or "(name:type"; a parenthesized value does not.
        if (reader.IsNext("(") && (TokenReader.Matches(reader.PeekSecond, ")") || (reader.PeekSecond?.Kind is KqlTokenKind.Identifier && TokenReader.Matches(reader.PeekAt(2), ":"))))
        {
            throw new HuntingQueryException($"Unsupported: user-defined functions (let {name} = (...) {{ ... }}) are not supported by the emulator.");
        }

        if (reader.Peek is { Kind: KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier } first &&
            (scope.IsTabular(first.Value) || TokenReader.Matches(reader.PeekSecond, "|") || TabularStarters.Contains(first.Text) || first.Text == FunctionParser.AssignedIpAddresses))
        {
            scope.Tabulars[name] = ParseTabular();
        }
        else
        {
            var value = new ScalarParser(reader, scope, RowSchema.Empty).Parse();
            if (!value.IsConstant)
            {
                throw new HuntingQueryException($"The value of 'let {name}' must be a constant scalar or a tabular expression.");
            }

            scope.Scalars[name] = Scalar.Constant(value.Type, value.Value);
        }

        if (!reader.AtEnd)
        {
            reader.Expect(";");
        }
    }

    private TabularSource ParseTabular()
    {
        TabularSource source;
        string name;
        if (reader.IsNext("("))
        {
            source = ParseParenthesized();
            name = "union_arg0";
        }
        else
        {
            var token = reader.Peek;
            if (token is not { Kind: KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier })
            {
                throw reader.Error("expected a table name");
            }

            if (token.Kind == KqlTokenKind.Identifier && token.Text is "union" or "search")
            {
                reader.Next();
                (source, name) = token.Text == "union" ? (StartUnion(), "union") : (StartSearch(), "search");
            }
            else
            {
                if (token.Kind == KqlTokenKind.Identifier && TabularStarters.Contains(token.Text))
                {
                    throw new HuntingQueryException($"Unsupported operator '{token.Text}' in the emulator.");
                }

                if (TokenReader.Matches(reader.PeekSecond, "(") && token.Text != FunctionParser.AssignedIpAddresses)
                {
                    throw new HuntingQueryException($"Unsupported function '{token.Text}' in the emulator.");
                }

                name = token.Value;
                if (TokenReader.Matches(reader.PeekSecond, "("))
                {
                    source = FunctionParser.AssignedIpAddressesSource(reader, scope);
                }
                else
                {
                    reader.Next();
                    source = scope.Source(name) ?? throw new HuntingQueryException($"Failed to resolve table expression named '{name}'.");
                }
            }
        }

        while (reader.Accept("|"))
        {
            if (reader.Accept("render"))
            {
                RenderParser.Skip(reader);
                break;
            }

            source = ParseOperator(source.Schema, name).After(source);
        }

        return source;
    }

    /// <summary><c>( tabular expression )</c>, with the nesting depth bounded (the query is untrusted).</summary>
    private TabularSource ParseParenthesized()
    {
        reader.Expect("(");
        if (++tabularDepth > MaxTabularDepth)
        {
            throw new HuntingQueryException($"The query is nested too deeply (more than {MaxTabularDepth} levels).");
        }

        var source = ParseTabular();
        reader.Expect(")");
        tabularDepth--;
        return source;
    }

    /// <summary>The right side of <c>join</c>/<c>lookup</c>: a parenthesized query, or a table or <c>let</c> name.</summary>
    private TabularSource ParseOperand()
    {
        if (reader.IsNext("("))
        {
            return ParseParenthesized();
        }

        var name = reader.ExpectName("a table name or a parenthesized query");
        return scope.Source(name) ?? throw new HuntingQueryException($"Failed to resolve table expression named '{name}'.");
    }

    /// <summary><c>union T1, T2, ...</c> at the start of a tabular expression.</summary>
    private TabularSource StartUnion()
    {
        var union = UnionParser.Parse(reader, scope, null, ParseParenthesized);
        return new TabularSource(union.Output, () => union.Concat(null));
    }

    /// <summary><c>search [kind=...] in (T1, T2*) predicate</c>: the union of the tables with <c>$table</c>, filtered.</summary>
    private TabularSource StartSearch()
    {
        var caseSensitive = SearchCaseSensitivity();
        if (!reader.Accept("in"))
        {
            throw new HuntingQueryException("Unsupported: 'search' over every table is not supported by the emulator; use 'T | search ...' or 'search in (T) ...'.");
        }

        reader.Expect("(");
        var legs = new List<(Func<IEnumerable<object?[]>>? Open, RowSchema Schema, string Name)>();
        var unresolved = UnionParser.Operands(reader, scope, ParseParenthesized, legs);
        reader.Expect(")");
        if (unresolved.Count > 0)
        {
            throw new HuntingQueryException($"Failed to resolve table expression named '{unresolved[0]}'.");
        }

        var union = UnionParser.Build(legs, inner: false, withSource: "$table");
        var predicate = new ScalarParser(reader, scope, union.Output, caseSensitive).Parse();
        ScalarParser.RequireBool(predicate, "The 'search' predicate");
        return new WhereOperator(union.Output, predicate.Test).After(new TabularSource(union.Output, () => union.Concat(null)));
    }

    private bool SearchCaseSensitivity()
    {
        var parameters = OperatorParameters.Parse(reader, SearchParameters);
        return parameters.GetValueOrDefault("kind", "default") switch
        {
            "default" or "case_insensitive" => false,
            "case_sensitive" => true,
            var other => throw new HuntingQueryException($"Unsupported search kind '{other}' (default, case_insensitive or case_sensitive)."),
        };
    }

    private SearchOperator Search(RowSchema schema, string table)
    {
        var caseSensitive = SearchCaseSensitivity();
        if (reader.IsNext("in"))
        {
            throw reader.Error("'search in (...)' cannot follow '|'");
        }

        var predicate = new ScalarParser(reader, scope, schema, caseSensitive).Parse();
        ScalarParser.RequireBool(predicate, "The 'search' predicate");
        return new SearchOperator(new RowSchema([new HuntingColumnSchema("$table", "string"), .. schema.Columns]), table, predicate.Test);
    }

    private QueryOperator ParseOperator(RowSchema schema, string sourceName)
    {
        if (reader.Peek is not { Kind: KqlTokenKind.Identifier } token)
        {
            throw reader.Error("expected an operator after '|'");
        }

        reader.Next();
        return token.Text switch
        {
            "where" or "filter" => Where(schema),
            "project" => Project(schema),
            "project-away" => ColumnSelection.Away(reader, schema),
            "project-keep" => ColumnSelection.Keep(reader, schema),
            "project-reorder" => ColumnSelection.Reorder(reader, schema),
            "project-rename" => ProjectRename(schema),
            "extend" => Extend(schema),
            "take" or "limit" => new TakeOperator(schema, RowCount(token.Text)),
            "top" => Top(schema),
            "sort" or "order" => Sort(schema),
            "summarize" => Summarize(schema),
            "distinct" => Distinct(schema),
            "count" => new CountOperator(),
            "join" => JoinParser.Parse(reader, schema, ParseOperand, scope.MaxBuildRows, lookup: false),
            "lookup" => JoinParser.Parse(reader, schema, ParseOperand, scope.MaxBuildRows, lookup: true),
            "union" => UnionParser.Parse(reader, scope, (schema, sourceName), ParseParenthesized),
            "mv-expand" => MvExpandParser.Parse(reader, scope, schema),
            "search" => Search(schema, sourceName),
            "invoke" => FunctionParser.Invoke(reader, scope, schema),
            "parse" => ParseParser.Parse(reader, scope, schema, dropUnmatched: false),
            "parse-where" => ParseParser.Parse(reader, scope, schema, dropUnmatched: true),
            _ => throw new HuntingQueryException($"Unsupported operator '{token.Text}' in the emulator."),
        };
    }

    private WhereOperator Where(RowSchema schema)
    {
        var predicate = new ScalarParser(reader, scope, schema).Parse();
        ScalarParser.RequireBool(predicate, "The 'where' predicate");
        return new WhereOperator(schema, predicate.Test);
    }

    private ProjectOperator Project(RowSchema schema)
    {
        var parser = new ScalarParser(reader, scope, schema);
        var columns = new List<HuntingColumnSchema>();
        var sources = new List<int>();
        var computed = new List<Func<object?[], object?>?>();
        var counter = 0;
        do
        {
            var (alias, expression) = parser.ParseNamed();
            columns.Add(new HuntingColumnSchema(alias ?? expression.Name ?? $"Column{++counter}", expression.Type));
            sources.Add(expression.Column);
            computed.Add(expression.Column >= 0 ? null : expression.Eval);
        }
        while (reader.Accept(","));
        return new ProjectOperator(new RowSchema(Unique(columns)), [.. sources], [.. computed]);
    }

    private RenameOperator ProjectRename(RowSchema schema)
    {
        var columns = schema.Columns.ToList();
        do
        {
            var newName = reader.ExpectName("a new column name");
            reader.Expect("=");
            var oldName = reader.ExpectName("a column name");
            var index = schema.IndexOf(oldName);
            if (index < 0)
            {
                throw new HuntingQueryException($"Failed to resolve scalar expression named '{oldName}'.");
            }

            columns[index] = columns[index] with { Name = newName };
        }
        while (reader.Accept(","));
        return new RenameOperator(new RowSchema(Unique(columns)));
    }

    private ExtendOperator Extend(RowSchema schema)
    {
        var columns = schema.Columns.ToList();
        var current = schema;
        var targets = new List<int>();
        var computed = new List<Func<object?[], object?>>();
        var counter = 0;
        do
        {
            // Each expression sees the columns defined before it in this extend.
            var (alias, expression) = new ScalarParser(reader, scope, current).ParseNamed();
            var name = alias ?? (expression.Column >= 0 ? null : expression.Name) ?? NextColumnName(columns, ref counter);
            var target = columns.FindIndex(c => c.Name == name);
            if (target >= 0)
            {
                columns[target] = new HuntingColumnSchema(name, expression.Type);
            }
            else
            {
                target = columns.Count;
                columns.Add(new HuntingColumnSchema(name, expression.Type));
            }

            targets.Add(target);
            computed.Add(expression.Eval);
            current = new RowSchema([.. columns]);
        }
        while (reader.Accept(","));
        return new ExtendOperator(current, [.. targets], [.. computed]);
    }

    private SortOperator Top(RowSchema schema)
    {
        var count = RowCount("top");
        reader.Expect("by");
        return new SortOperator(schema, SortKeys(schema), count);
    }

    private SortOperator Sort(RowSchema schema)
    {
        reader.Expect("by");
        return new SortOperator(schema, SortKeys(schema), null);
    }

    private SortKey[] SortKeys(RowSchema schema)
    {
        var parser = new ScalarParser(reader, scope, schema);
        var keys = new List<SortKey>();
        do
        {
            var expression = parser.Parse();
            var descending = !reader.Accept("asc");
            if (descending)
            {
                reader.Accept("desc");
            }

            var nullsFirst = !descending;
            if (reader.Accept("nulls"))
            {
                nullsFirst = reader.Accept("first") || (reader.Accept("last") ? false : throw reader.Error("expected 'first' or 'last'"));
            }

            keys.Add(new SortKey(expression.Eval, descending, nullsFirst));
        }
        while (reader.Accept(","));
        return [.. keys];
    }

    private DistinctOperator Distinct(RowSchema schema)
    {
        var sources = new List<int>();
        if (reader.Accept("*"))
        {
            sources.AddRange(Enumerable.Range(0, schema.Count));
        }
        else
        {
            do
            {
                var name = reader.ExpectName("a column name");
                var index = schema.IndexOf(name);
                sources.Add(index >= 0 ? index : throw new HuntingQueryException($"Failed to resolve scalar expression named '{name}'."));
            }
            while (reader.Accept(","));
        }

        return new DistinctOperator(new RowSchema([.. sources.Select(i => schema[i])]), [.. sources]);
    }

    private SummarizeOperator Summarize(RowSchema schema)
    {
        var parser = new ScalarParser(reader, scope, schema);
        var pending = new List<Func<IReadOnlySet<string>, AggregateSpec>>();
        if (!reader.IsNext("by"))
        {
            do
            {
                pending.Add(AggregateParser.Parse(parser));
            }
            while (reader.Accept(","));
        }

        var keyColumns = new List<HuntingColumnSchema>();
        var keys = new List<Func<object?[], object?>>();
        if (reader.Accept("by"))
        {
            var counter = 0;
            do
            {
                var (alias, expression) = parser.ParseNamed();
                keyColumns.Add(new HuntingColumnSchema(alias ?? expression.Name ?? $"Column{++counter}", expression.Type));
                var eval = expression.Eval;

                // KQL strings have no null: group an empty cell with "".
                keys.Add(expression.Type == "string" ? row => eval(row) ?? string.Empty : eval);
            }
            while (reader.Accept(","));
        }

        if (pending.Count == 0 && keys.Count == 0)
        {
            throw reader.Error("expected an aggregation or 'by'");
        }

        var byNames = keyColumns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var aggregates = pending.Select(p => p(byNames)).ToArray();
        var columns = new List<HuntingColumnSchema>(keyColumns);
        var offsets = new int[aggregates.Length];
        for (var a = 0; a < aggregates.Length; a++)
        {
            offsets[a] = columns.Count;
            columns.AddRange(aggregates[a].Columns);
        }

        return new SummarizeOperator(new RowSchema(Unique(columns)), [.. keys], aggregates, offsets);
    }

    private long RowCount(string op)
    {
        if (reader.AtEnd || reader.IsNext("|") || reader.IsNext(";") || reader.IsNext("by"))
        {
            throw reader.Error($"expected a row count after '{op}'");
        }

        var count = new ScalarParser(reader, scope, RowSchema.Empty).Parse();
        return count.IsConstant && KqlValues.ToLong(count.Value) is >= 0 and var n
            ? n
            : throw new HuntingQueryException($"Syntax error: expected a row count after '{op}' (a non-negative integer).");
    }

    private static string NextColumnName(List<HuntingColumnSchema> columns, ref int counter)
    {
        string name;
        do
        {
            name = $"Column{++counter}";
        }
        while (columns.Exists(c => c.Name == name));
        return name;
    }

    /// <summary>Makes output names unique the way KQL does for generated names: a repeated name gets 1, 2, ...</summary>
    private static List<HuntingColumnSchema> Unique(List<HuntingColumnSchema> columns)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<HuntingColumnSchema>(columns.Count);
        foreach (var column in columns)
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
