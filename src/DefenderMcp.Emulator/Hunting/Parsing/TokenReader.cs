using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Emulator.Hunting.Parsing;

/// <summary>A cursor over the lexer's tokens. Keywords match case-sensitively, as KQL's do.</summary>
internal sealed class TokenReader(IReadOnlyList<KqlToken> tokens)
{
    private int position;

    /// <summary>The next token, or null at the end.</summary>
    public KqlToken? Peek => position < tokens.Count ? tokens[position] : null;

    /// <summary>The token after the next one, or null.</summary>
    public KqlToken? PeekSecond => position + 1 < tokens.Count ? tokens[position + 1] : null;

    /// <summary>The token <paramref name="offset"/> places ahead (0 is <see cref="Peek"/>), or null.</summary>
    public KqlToken? PeekAt(int offset) => position + offset < tokens.Count ? tokens[position + offset] : null;

    /// <summary>The token just consumed, or null at the start.</summary>
    public KqlToken? Previous => position > 0 ? tokens[position - 1] : null;

    public bool AtEnd => position >= tokens.Count;

    /// <summary>Consumes and returns the next token.</summary>
    public KqlToken Next() => Peek is { } token ? tokens[position++] : throw Error("unexpected end of the query");

    /// <summary>True when the next token is the keyword or punctuation <paramref name="text"/>.</summary>
    public bool IsNext(string text) => Matches(Peek, text);

    /// <summary>Consumes <paramref name="text"/> when it is next.</summary>
    public bool Accept(string text)
    {
        if (!IsNext(text))
        {
            return false;
        }

        position++;
        return true;
    }

    /// <summary>Consumes <paramref name="text"/> or throws a syntax error.</summary>
    public void Expect(string text)
    {
        if (!Accept(text))
        {
            throw Error($"expected '{text}'");
        }
    }

    /// <summary>True when the next token is a plain or quoted name.</summary>
    public bool IsNameNext => Peek?.Kind is KqlTokenKind.Identifier or KqlTokenKind.QuotedIdentifier;

    /// <summary>Reads a plain or <c>['quoted']</c> name.</summary>
    public string ExpectName(string what = "a name")
    {
        if (!IsNameNext)
        {
            throw Error($"expected {what}");
        }

        return tokens[position++].Value;
    }

    /// <summary>A syntax error located at the next token.</summary>
    public HuntingQueryException Error(string message) => ErrorAt(Peek, message);

    /// <summary>A syntax error located at <paramref name="token"/> (null: the end of the query).</summary>
    public static HuntingQueryException ErrorAt(KqlToken? token, string message) => token is not null
        ? new HuntingQueryException($"Syntax error: {message} near '{Shorten(token.Text)}' at position {token.Start}.")
        : new HuntingQueryException($"Syntax error: {message} at the end of the query.");

    /// <summary>True when <paramref name="token"/> is the keyword or punctuation <paramref name="text"/>.</summary>
    public static bool Matches(KqlToken? token, string text) =>
        token is { Kind: KqlTokenKind.Identifier or KqlTokenKind.Punctuation } && string.Equals(token.Text, text, StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
