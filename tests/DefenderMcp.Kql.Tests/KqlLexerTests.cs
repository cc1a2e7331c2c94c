using System.Diagnostics;
using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Kql.Tests;

public sealed class KqlLexerTests
{
    private static IReadOnlyList<KqlToken> Lex(string text)
    {
        var result = KqlLexer.Tokenize(text);
        Assert.True(result.Success, result.Error);
        Assert.Null(result.Error);
        Assert.Equal(-1, result.ErrorOffset);
        return result.Tokens;
    }

    private static KqlLexResult LexError(string text)
    {
        var result = KqlLexer.Tokenize(text);
        Assert.False(result.Success, text);
        Assert.NotNull(result.Error);
        Assert.Empty(result.Tokens);
        return result;
    }

    [Theory]
    [InlineData("'abc'", "abc")]
    [InlineData("\"abc\"", "abc")]
    [InlineData("''", "")]
    [InlineData("'a\"b'", "a\"b")]
    [InlineData("\"a'b\"", "a'b")]
    [InlineData("'a\\'b'", "a'b")]
    [InlineData("\"a\\\"b\\n\"", "a\"b\n")]
    [InlineData("'\\\\'", "\\")]
    [InlineData("'\\a\\b\\f\\v\\t\\r\\n'", "\a\b\f\v\t\r\n")]
    [InlineData("'\\u0041\\x42'", "AB")]
    [InlineData("'\\U0001F600'", "\U0001F600")]
    [InlineData("'\\0'", "\0")]
    [InlineData("'\\101\\60'", "A0")]
    [InlineData("'\\477'", "'7")]
    [InlineData("'tab\there'", "tab\there")]
    [InlineData("'// not a comment'", "// not a comment")]
    [InlineData("@'C:\\temp\\'", "C:\\temp\\")]
    [InlineData("@\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("@'it''s'", "it's")]
    [InlineData("```line1\nline2```", "line1\nline2")]
    [InlineData("```a ' \" \\q ~~~ b```", "a ' \" \\q ~~~ b")]
    [InlineData("~~~x\r\ny~~~", "x\r\ny")]
    [InlineData("``````", "")]
    public void Decodes_every_string_form(string literal, string value)
    {
        var token = Assert.Single(Lex(literal));

        Assert.Equal(KqlTokenKind.String, token.Kind);
        Assert.Equal(literal, token.Text);
        Assert.Equal(value, token.Value);
        Assert.False(token.IsObfuscated);
    }

    [Theory]
    [InlineData("h'secret'", "secret")]
    [InlineData("H\"secret\"", "secret")]
    [InlineData("h@'C:\\x'", "C:\\x")]
    [InlineData("H@\"a\"\"b\"", "a\"b")]
    [InlineData("h```multi\nline```", "multi\nline")]
    [InlineData("h~~~x~~~", "x")]
    public void The_h_prefix_obfuscates_any_string_form(string literal, string value)
    {
        var token = Assert.Single(Lex(literal));

        Assert.Equal(KqlTokenKind.String, token.Kind);
        Assert.True(token.IsObfuscated);
        Assert.Equal(value, token.Value);
        Assert.Equal(literal, token.Text);
    }

    [Fact]
    public void Only_a_lone_h_is_a_prefix()
    {
        var tokens = Lex("hx'y' h @'z' h");

        Assert.Equal([KqlTokenKind.Identifier, KqlTokenKind.String, KqlTokenKind.Identifier, KqlTokenKind.String, KqlTokenKind.Identifier], tokens.Select(t => t.Kind));
        Assert.Equal("hx", tokens[0].Text);
        Assert.All(tokens, t => Assert.False(t.IsObfuscated));
    }

    [Theory]
    [InlineData("['my column']", "my column")]
    [InlineData("[\"my column\"]", "my column")]
    [InlineData("[@'C:\\x']", "C:\\x")]
    [InlineData("['a\\'b' ]", "a'b")]
    [InlineData("['externaldata']", "externaldata")]
    public void Quoted_identifiers_carry_their_name(string text, string name)
    {
        var token = Assert.Single(Lex(text));

        Assert.Equal(KqlTokenKind.QuotedIdentifier, token.Kind);
        Assert.Equal(name, token.Value);
        Assert.Equal(text, token.Text);
    }

    [Fact]
    public void Bracketed_string_lists_are_arrays_not_quoted_identifiers()
    {
        var tokens = Lex("print x = dynamic(['a', \"b\"]) | where y in (['c'])");

        Assert.Contains(tokens, t => t.Kind == KqlTokenKind.String && t.Value == "a");
        Assert.Contains(tokens, t => t.Kind == KqlTokenKind.String && t.Value == "b");
        Assert.DoesNotContain(tokens, t => t.Kind == KqlTokenKind.QuotedIdentifier && t.Value == "a");
        Assert.Equal(KqlTokenKind.QuotedIdentifier, Lex("T | project ['c']")[^1].Kind);
    }

    [Theory]
    [InlineData("datetime(2024-01-01 10:00)", "2024-01-01 10:00")]
    [InlineData("date(2024-01-01)", "2024-01-01")]
    [InlineData("time(1.02:03:04)", "1.02:03:04")]
    [InlineData("timespan(2d)", "2d")]
    [InlineData("guid(74be27de-1e4e-49d9-b579-fe0b331d3642)", "74be27de-1e4e-49d9-b579-fe0b331d3642")]
    [InlineData("long(null)", "null")]
    [InlineData("int64(-1)", "-1")]
    [InlineData("int(5)", "5")]
    [InlineData("int32(5)", "5")]
    [InlineData("real(nan)", "nan")]
    [InlineData("double(1.5)", "1.5")]
    [InlineData("decimal(1.5)", "1.5")]
    [InlineData("bool(true)", "true")]
    [InlineData("datetime( 2024-01-01 )", "2024-01-01")]
    [InlineData("datetime(\"a ' b\")", "\"a ' b\"")]
    [InlineData("datetime(')", "'")]
    public void Goo_literals_take_everything_up_to_the_first_closing_parenthesis(string text, string inner)
    {
        var token = Assert.Single(Lex(text));

        Assert.Equal(KqlTokenKind.Goo, token.Kind);
        Assert.Equal(text, token.Text);
        Assert.Equal(inner, token.Value);
    }

    [Theory]
    [InlineData("datetime (2024)")]
    [InlineData("Datetime(2024)")]
    [InlineData("boolean(x)")]
    [InlineData("dynamic(x)")]
    [InlineData("todatetime(x)")]
    [InlineData("datetime_diff(x)")]
    public void Goo_needs_the_exact_keyword_right_before_the_parenthesis(string text)
    {
        var tokens = Lex(text);

        Assert.DoesNotContain(tokens, t => t.Kind == KqlTokenKind.Goo);
        Assert.Equal(KqlTokenKind.Identifier, tokens[0].Kind);
        Assert.Equal("(", tokens[1].Text);
    }

    [Theory]
    [InlineData("123", KqlTokenKind.Number)]
    [InlineData("0x1F", KqlTokenKind.Number)]
    [InlineData("0XfF", KqlTokenKind.Number)]
    [InlineData("1.5", KqlTokenKind.Number)]
    [InlineData("1.", KqlTokenKind.Number)]
    [InlineData("1e3", KqlTokenKind.Number)]
    [InlineData("1.5E-3", KqlTokenKind.Number)]
    [InlineData("7d", KqlTokenKind.Timespan)]
    [InlineData("2h", KqlTokenKind.Timespan)]
    [InlineData("30m", KqlTokenKind.Timespan)]
    [InlineData("30min", KqlTokenKind.Timespan)]
    [InlineData("15s", KqlTokenKind.Timespan)]
    [InlineData("10sec", KqlTokenKind.Timespan)]
    [InlineData("100ms", KqlTokenKind.Timespan)]
    [InlineData("1tick", KqlTokenKind.Timespan)]
    [InlineData("5microseconds", KqlTokenKind.Timespan)]
    [InlineData("3nanos", KqlTokenKind.Timespan)]
    [InlineData("2hrs", KqlTokenKind.Timespan)]
    [InlineData("1.5h", KqlTokenKind.Timespan)]
    [InlineData("10days", KqlTokenKind.Timespan)]
    [InlineData("1abc", KqlTokenKind.Identifier)]
    [InlineData("5mins", KqlTokenKind.Identifier)]
    [InlineData("0x1G", KqlTokenKind.Identifier)]
    public void Numbers_and_timespans_lex_as_one_token(string text, KqlTokenKind kind)
    {
        var token = Assert.Single(Lex(text));

        Assert.Equal(kind, token.Kind);
        Assert.Equal(text, token.Text);
    }

    [Fact]
    public void A_range_is_not_a_real_number()
    {
        Assert.Equal(["(", "1", "..", "5", ")"], Lex("(1..5)").Select(t => t.Text));
    }

    [Theory]
    [InlineData("project-away")]
    [InlineData("project-keep")]
    [InlineData("project-rename")]
    [InlineData("project-reorder")]
    [InlineData("mv-expand")]
    [InlineData("mv-apply")]
    [InlineData("make-series")]
    [InlineData("parse-where")]
    [InlineData("parse-kv")]
    [InlineData("top-nested")]
    [InlineData("top-hitters")]
    [InlineData("macro-expand")]
    [InlineData("MACRO-EXPAND")]
    [InlineData("graph-match")]
    [InlineData("graph-to-table")]
    [InlineData("assert-schema")]
    [InlineData("in~")]
    public void Hyphenated_keywords_are_single_identifiers(string keyword)
    {
        var tokens = Lex($"T | {keyword} x");

        Assert.Equal(KqlTokenKind.Identifier, tokens[2].Kind);
        Assert.Equal(keyword, tokens[2].Text);
        Assert.Equal("x", tokens[3].Text);
    }

    [Theory]
    [InlineData("project-x", new[] { "project", "-", "x" })]
    [InlineData("a-b", new[] { "a", "-", "b" })]
    [InlineData("project-awayx", new[] { "project", "-", "awayx" })]
    [InlineData("D - E", new[] { "D", "-", "E" })]
    [InlineData("a$b", new[] { "a", "$b" })]
    [InlineData("$left.x", new[] { "$left", ".", "x" })]
    [InlineData("_x1", new[] { "_x1" })]
    public void Other_words_split_at_hyphens(string text, string[] expected) => Assert.Equal(expected, Lex(text).Select(t => t.Text));

    [Theory]
    [InlineData("!contains")]
    [InlineData("!contains_cs")]
    [InlineData("!has")]
    [InlineData("!has_cs")]
    [InlineData("!hasprefix")]
    [InlineData("!hassuffix_cs")]
    [InlineData("!startswith")]
    [InlineData("!startswith_cs")]
    [InlineData("!endswith")]
    [InlineData("!endswith_cs")]
    [InlineData("!in")]
    [InlineData("!in~")]
    [InlineData("!between")]
    public void Negated_string_operators_are_single_punctuation_tokens(string op)
    {
        var tokens = Lex($"a {op} b");

        Assert.Equal(3, tokens.Count);
        Assert.Equal(KqlTokenKind.Punctuation, tokens[1].Kind);
        Assert.Equal(op, tokens[1].Text);
    }

    [Fact]
    public void An_unknown_negation_is_a_bang_and_an_identifier()
    {
        Assert.Equal(["a", "!", "externaldata", "b"], Lex("a !externaldata b").Select(t => t.Text));
        Assert.Equal(["a", "!", "inx"], Lex("a !inx").Select(t => t.Text));
    }

    [Theory]
    [InlineData("<|")]
    [InlineData("==")]
    [InlineData("=~")]
    [InlineData("!=")]
    [InlineData("!~")]
    [InlineData("<=")]
    [InlineData(">=")]
    [InlineData("<>")]
    [InlineData("=>")]
    [InlineData("..")]
    [InlineData("|")]
    [InlineData(".")]
    [InlineData(",")]
    [InlineData(";")]
    [InlineData(":")]
    [InlineData("(")]
    [InlineData(")")]
    [InlineData("[")]
    [InlineData("]")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("=")]
    [InlineData("<")]
    [InlineData(">")]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("*")]
    [InlineData("/")]
    [InlineData("%")]
    [InlineData("@")]
    [InlineData("?")]
    public void Punctuation_is_matched_longest_first(string punctuation)
    {
        var token = Assert.Single(Lex(punctuation));

        Assert.Equal(KqlTokenKind.Punctuation, token.Kind);
        Assert.Equal(punctuation, token.Text);
    }

    [Fact]
    public void Adjacent_punctuation_splits_by_longest_match()
    {
        Assert.Equal(["<|", "<=", "==", "=", "..", "."], Lex("<|<====...").Select(t => t.Text));
        Assert.Equal(["-->", "<--", "=>", "-", ">"], Lex("--><--=>- >").Select(t => t.Text));
    }

    [Fact]
    public void Comments_are_trivia_and_end_at_any_line_break()
    {
        var tokens = Lex("T // comment with 'quote\n| a // x\r| b // y\u2028| c //");

        Assert.Equal(["T", "|", "a", "|", "b", "|", "c"], tokens.Select(t => t.Text));
    }

    [Fact]
    public void There_are_no_block_comments()
    {
        Assert.Equal(["a", "/", "*", "b", "*", "/"], Lex("a /* b */").Select(t => t.Text));
    }

    [Fact]
    public void Unicode_spaces_are_whitespace()
    {
        var tokens = Lex("a\u00A0b\u1680c\u180Ed\u2000e\u200Bf\u202Fg\u205Fh\u3000i\uFEFFj\u2028k\u2029l");

        Assert.Equal(12, tokens.Count);
        Assert.All(tokens, t => Assert.Equal(KqlTokenKind.Identifier, t.Kind));
    }

    [Fact]
    public void Directives_run_to_the_end_of_the_line()
    {
        var tokens = Lex("#connect x 'y\nT | take 1 # z");

        Assert.Equal(KqlTokenKind.Directive, tokens[0].Kind);
        Assert.Equal("#connect x 'y", tokens[0].Text);
        Assert.Equal("T", tokens[1].Text);
        Assert.Equal(KqlTokenKind.Directive, tokens[^1].Kind);
        Assert.Equal("# z", tokens[^1].Text);
    }

    [Fact]
    public void Offsets_are_recorded_for_every_token()
    {
        const string text = "T  | where x == h'ab' and y > datetime(2024) // c\n  | project ['q']";
        var tokens = Lex(text);

        Assert.All(tokens, t => Assert.Equal(t.Text, text.Substring(t.Start, t.Text.Length)));
        Assert.Equal([0, 3, 5, 11, 13, 16, 22, 26, 28, 30, 52, 54, 62], tokens.Select(t => t.Start));
    }

    [Fact]
    public void A_realistic_query_lexes_to_the_expected_kinds()
    {
        var tokens = Lex("DeviceProcessEvents | where Timestamp > ago(7d) and FileName !in~ ('a.exe') | project-away AdditionalFields");

        Assert.Equal(
            [
                KqlTokenKind.Identifier, KqlTokenKind.Punctuation, KqlTokenKind.Identifier, KqlTokenKind.Identifier, KqlTokenKind.Punctuation,
                KqlTokenKind.Identifier, KqlTokenKind.Punctuation, KqlTokenKind.Timespan, KqlTokenKind.Punctuation, KqlTokenKind.Identifier,
                KqlTokenKind.Identifier, KqlTokenKind.Punctuation, KqlTokenKind.Punctuation, KqlTokenKind.String, KqlTokenKind.Punctuation,
                KqlTokenKind.Punctuation, KqlTokenKind.Identifier, KqlTokenKind.Identifier,
            ],
            tokens.Select(t => t.Kind));
    }

    [Theory]
    [InlineData("'abc", 0, "unterminated")]
    [InlineData("x == \"abc", 5, "unterminated")]
    [InlineData("@'abc", 0, "unterminated")]
    [InlineData("'abc\ndef'", 0, "unterminated")]
    [InlineData("'abc\rdef'", 0, "unterminated")]
    [InlineData("@'abc\ndef'", 0, "unterminated")]
    [InlineData("h'abc", 0, "unterminated")]
    [InlineData("x ```abc", 2, "unterminated")]
    [InlineData("~~~abc~~", 0, "unterminated")]
    [InlineData("['abc", 1, "unterminated")]
    [InlineData("where t > datetime(2024", 10, "unterminated")]
    [InlineData("datetime(2024\n)", 0, "unterminated")]
    [InlineData("'\\z'", 0, "escape")]
    [InlineData("'\\x4'", 0, "escape")]
    [InlineData("'\\u12'", 0, "escape")]
    [InlineData("'\\U0001F60'", 0, "escape")]
    [InlineData("'\\8'", 0, "escape")]
    [InlineData("a & b", 2, "unexpected")]
    [InlineData("a ~ b", 2, "unexpected")]
    [InlineData("a ` b", 2, "unexpected")]
    [InlineData("caf\u00e9", 3, "unexpected")]
    [InlineData("a\\b", 1, "unexpected")]
    public void Lexical_errors_are_reported_with_no_tokens(string text, int offset, string error)
    {
        var result = LexError(text);

        Assert.Equal(offset, result.ErrorOffset);
        Assert.Contains(error, result.Error!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("T\u0000")]
    [InlineData("'a\u0001b'")]
    [InlineData("// comment \u0007 bell")]
    [InlineData("```multi \u001b line```")]
    [InlineData("datetime(\u0002)")]
    [InlineData("a\fb")]
    [InlineData("a\u0085b")]
    [InlineData("#dir\u007f")]
    public void Control_characters_other_than_tab_cr_lf_are_errors_anywhere(string text)
    {
        var result = LexError(text);

        Assert.Contains("control character", result.Error!, StringComparison.Ordinal);
        Assert.True(KqlLexicon.IsForbiddenControl(text[result.ErrorOffset]));
    }

    [Fact]
    public void Error_messages_never_echo_the_text()
    {
        var result = LexError("T | where x == 'SECRETVALUE");

        Assert.DoesNotContain("SECRET", result.Error!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("int(1) ")]
    [InlineData("[")]
    [InlineData("['a' ")]
    [InlineData("(")]
    [InlineData("h")]
    [InlineData("!")]
    [InlineData("project-")]
    [InlineData("1.")]
    [InlineData("'\\\\'")]
    [InlineData("@'''' ")]
    [InlineData("a // ")]
    [InlineData("```a```")]
    public void Long_hostile_inputs_lex_in_linear_time(string unit)
    {
        var text = string.Concat(Enumerable.Repeat(unit, (200_000 / unit.Length) + 1));
        var watch = Stopwatch.StartNew();

        var result = KqlLexer.Tokenize(text);

        watch.Stop();
        Assert.True(result.Success || result.Error is not null);
        // A hang guard, not a performance test (speed lives in bench/): linear lexing of 200,000 characters takes
        // milliseconds even on a loaded CI machine, a quadratic scan takes minutes.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"{unit}: {watch.Elapsed}");
    }

    [Fact]
    public void Unterminated_literals_at_the_end_of_a_long_text_fail_fast()
    {
        var text = string.Concat(Enumerable.Repeat("int(1) datetime(x) ['a'] 'b' ", 5_000)) + "datetime(";
        var watch = Stopwatch.StartNew();

        var result = LexError(text);

        Assert.Equal(text.Length - "datetime(".Length, result.ErrorOffset);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), watch.Elapsed.ToString());
    }
}
