using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DefenderMcp.Emulator.Hunting.Evaluation;
using DefenderMcp.Emulator.Hunting.Operators;
using DefenderMcp.Kql.Lexing;
using DefenderMcp.Kql.Schema;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>
/// <c>parse [kind=simple|regex|relaxed [flags=...]] Expr with [*] "text" Column[:type] [*] ...</c> and
/// <c>parse-where</c>, compiled to one regex the way KQL's parse documents it: the pattern must match the whole value
/// (a leading or trailing <c>*</c> skips the rest), <c>*</c> is <c>.*?</c>, a string column is <c>(.*?)</c> in simple
/// and relaxed mode and <c>(.*)</c> (greedy, RE2's default) in regex mode, a long or int column <c>-?\d+</c>; other
/// typed columns take the text and convert it. In simple mode the text parts are literal; in regex mode they are
/// regular expressions, with the flags <c>i</c>, <c>m</c>, <c>s</c> and <c>U</c> (ungreedy: swaps the greediness of
/// the parts the pattern generates, not of quantifiers inside the text parts).
/// </summary>
internal static class ParseParser
{
    private static readonly HashSet<string> Parameters = new(StringComparer.Ordinal) { "kind", "flags" };

    public static ParseOperator Parse(TokenReader reader, QueryScope scope, RowSchema schema, bool dropUnmatched)
    {
        var op = dropUnmatched ? "parse-where" : "parse";
        var parameters = OperatorParameters.Parse(reader, Parameters);
        var kind = parameters.GetValueOrDefault("kind", "simple");
        if (kind is not ("simple" or "regex" or "relaxed"))
        {
            throw new HuntingQueryException($"Unsupported {op} kind '{kind}' (simple, regex or relaxed).");
        }

        if (dropUnmatched && kind == "relaxed")
        {
            throw new HuntingQueryException("Unsupported parse-where kind 'relaxed' (simple or regex).");
        }

        var options = Options(op, kind, parameters.GetValueOrDefault("flags"), out var ungreedy);
        var source = new ScalarParser(reader, scope, schema).Parse();
        reader.Expect("with");

        var regex = new StringBuilder(@"\A");
        var columns = schema.Columns.ToList();
        var targets = new List<int>();
        var groups = new List<string>();
        var converters = new List<Func<string, object?>>();
        string? lastType = null;
        while (!reader.AtEnd && !reader.IsNext("|") && !reader.IsNext(";") && !reader.IsNext(")"))
        {
            var token = reader.Next();
            if (token is { Kind: KqlTokenKind.Punctuation, Text: "*" })
            {
                if (lastType == "string")
                {
                    throw TokenReader.ErrorAt(token, $"'*' cannot follow a string column in {op}");
                }

                regex.Append(ungreedy ? ".*" : ".*?");
                lastType = "*";
            }
            else if (token.Kind == KqlTokenKind.String)
            {
                regex.Append(kind == "regex" ? "(?:" + token.Value + ")" : Regex.Escape(token.Value));
                lastType = null;
            }
            else if (token.Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier)
            {
                var type = reader.Accept(":") ? ColumnType(reader, op) : "string";
                var group = $"c{groups.Count}";
                regex.Append("(?<").Append(group).Append('>').Append(Capture(kind, type, ungreedy)).Append(')');
                var target = columns.FindIndex(c => c.Name == token.Value);
                if (target < 0)
                {
                    target = columns.Count;
                    columns.Add(new HuntingColumnSchema(token.Value, type));
                }
                else
                {
                    columns[target] = new HuntingColumnSchema(token.Value, type);
                }

                if (targets.Contains(target))
                {
                    throw TokenReader.ErrorAt(token, $"column '{token.Value}' is parsed twice");
                }

                targets.Add(target);
                groups.Add(group);
                converters.Add(Converter(type));
                lastType = type;
            }
            else
            {
                throw TokenReader.ErrorAt(token, $"expected '*', a string or a column name in the {op} pattern");
            }
        }

        if (groups.Count == 0)
        {
            throw reader.Error($"expected at least one column in the {op} pattern");
        }

        regex.Append(@"\z");
        Regex compiled;
        try
        {
            compiled = new Regex(regex.ToString(), options | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new HuntingQueryException($"Invalid or unsupported regex in the {op} pattern: {ex.Message}");
        }

        return new ParseOperator(new RowSchema([.. columns]), source.Eval, compiled, [.. targets], [.. groups], [.. converters], strict: kind != "relaxed", dropUnmatched);
    }

    private static RegexOptions Options(string op, string kind, string? flags, out bool ungreedy)
    {
        ungreedy = false;
        if (flags is null)
        {
            // Simple mode's text parts are literal, so a column spans lines as it spans anything else.
            return kind == "regex" ? RegexOptions.None : RegexOptions.Singleline;
        }

        if (kind != "regex")
        {
            throw new HuntingQueryException($"{op} flags need kind=regex.");
        }

        var options = RegexOptions.None;
        foreach (var flag in flags)
        {
            switch (flag)
            {
                case 'i':
                    options |= RegexOptions.IgnoreCase;
                    break;
                case 'm':
                    options |= RegexOptions.Multiline;
                    break;
                case 's':
                    options |= RegexOptions.Singleline;
                    break;
                case 'U':
                    ungreedy = true;
                    break;
                default:
                    throw new HuntingQueryException($"Unsupported {op} regex flag '{flag}' (i, m, s or U).");
            }
        }

        return options;
    }

    private static string ColumnType(TokenReader reader, string op)
    {
        var name = reader.ExpectName("a column type");
        return name switch
        {
            "string" => "string",
            "long" => "long",
            "int" => "int",
            "real" or "double" => "real",
            "bool" or "boolean" => "bool",
            "datetime" or "date" => "datetime",
            "timespan" or "time" => "timespan",
            "dynamic" => "dynamic",
            _ => throw new HuntingQueryException($"Unsupported column type '{name}' in the {op} pattern (string, long, int, real, bool, datetime, timespan or dynamic)."),
        };
    }

    private static string Capture(string kind, string type, bool ungreedy) => (kind, type) switch
    {
        ("relaxed", _) => ".*?",
        (_, "long" or "int") => @"-?\d+",
        ("regex", _) => ungreedy ? ".*?" : ".*",
        _ => ".*?",
    };

    private static Func<string, object?> Converter(string type) => type switch
    {
        "long" => text => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
        "int" => text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null,
        "real" => text => KqlValues.ConvertToReal(text),
        "bool" => text => KqlValues.ConvertToBool(text),
        "datetime" => text => KqlValues.ParseDateTime(text),
        "timespan" => text => KqlValues.ParseTimespan(text),
        "dynamic" => text => text,
        _ => text => text,
    };
}
