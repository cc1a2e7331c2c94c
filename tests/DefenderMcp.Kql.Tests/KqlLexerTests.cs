using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Kql.Tests;

public sealed class KqlLexerTests
{
    private static IReadOnlyList<KqlToken> Lex(string text)
    {
        var result = KqlLexer.Tokenize(text);
        Assert.True(result.Success, result.Error);
        return result.Tokens;
    }

    [Theory]
    [InlineData("'a\\'b'", "a'b")]
    [InlineData("\"a\\\"b\\n\"", "a\"b\n")]
    [InlineData("@'C:\\temp'", "C:\\temp")]
    [InlineData("@\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("```line1\nline2```", "line1\nline2")]
    [InlineData("~~~x~~~", "x")]
    [InlineData("'\\u0041\\x42'", "AB")]
    public void Decodes_every_string_form(string literal, string value)
    {
        var token = Assert.Single(Lex(literal));

        Assert.Equal(KqlTokenKind.String, token.Kind);
        Assert.Equal(value, token.Value);
    }

    [Fact]
    public void Obfuscated_strings_are_marked_and_h_alone_before_a_quote_is_the_prefix()
    {
        var tokens = Lex("h'secret' hx'y' H@\"z\"");

        Assert.True(tokens[0].IsObfuscated);
        Assert.Equal("secret", tokens[0].Value);
        Assert.Equal(KqlTokenKind.Identifier, tokens[1].Kind);
        Assert.Equal(KqlTokenKind.String, tokens[2].Kind);
        Assert.True(tokens[3].IsObfuscated);
    }

    [Fact]
    public void Comments_are_trivia_but_slashes_in_strings_are_not_comments()
    {
        var tokens = Lex("T // comment with 'quote\n| where a == '//not a comment'");

        Assert.Equal(["T", "|", "where", "a", "==", "'//not a comment'"], tokens.Select(t => t.Text));
    }

    [Fact]
    public void Goo_literals_keep_their_inner_text_and_offsets_are_recorded()
    {
        var tokens = Lex("where Timestamp > datetime(2024-01-01 10:00)");

        var goo = tokens[^1];
        Assert.Equal(KqlTokenKind.Goo, goo.Kind);
        Assert.Equal("2024-01-01 10:00", goo.Value);
        Assert.Equal(18, goo.Start);
    }

    [Fact]
    public void Hyphenated_keywords_negated_operators_and_timespans_are_single_tokens()
    {
        var tokens = Lex("T | project-away A | where B !contains 'x' and C !in~ ('y') | where Timestamp > ago(7d) and D - E > 1");

        Assert.Contains(tokens, t => t.Text == "project-away" && t.Kind == KqlTokenKind.Identifier);
        Assert.Contains(tokens, t => t.Text == "!contains");
        Assert.Contains(tokens, t => t.Text == "!in~");
        Assert.Contains(tokens, t => t.Text == "7d" && t.Kind == KqlTokenKind.Timespan);
        Assert.Contains(tokens, t => t.Text == "D");
        Assert.Contains(tokens, t => t.Text == "E");
    }

    [Fact]
    public void Quoted_identifiers_carry_their_name()
    {
        var token = Lex("['my column']")[0];

        Assert.Equal(KqlTokenKind.QuotedIdentifier, token.Kind);
        Assert.Equal("my column", token.Value);
    }

    [Theory]
    [InlineData("'abc")]
    [InlineData("'abc\ndef'")]
    [InlineData("```abc")]
    [InlineData("datetime(2024")]
    [InlineData("'\\z'")]
    public void Lexical_errors_are_reported_with_no_tokens(string text)
    {
        var result = KqlLexer.Tokenize(text);

        Assert.False(result.Success);
        Assert.Empty(result.Tokens);
        Assert.True(result.ErrorOffset >= 0);
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

    [Fact]
    public void Directives_run_to_the_end_of_the_line()
    {
        var tokens = Lex("#connect x y\nT");

        Assert.Equal(KqlTokenKind.Directive, tokens[0].Kind);
        Assert.Equal("T", tokens[1].Text);
    }
}
