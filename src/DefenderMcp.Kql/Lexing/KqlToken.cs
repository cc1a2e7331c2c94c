namespace DefenderMcp.Kql.Lexing;

/// <summary>One significant token of a KQL text.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Text">The exact source text of the token.</param>
/// <param name="Start">Offset of the first character in the source.</param>
/// <param name="Value">Decoded value: string contents, quoted-identifier name or goo inner text; otherwise <see cref="Text"/>.</param>
/// <param name="IsObfuscated">True for <c>h'...'</c> strings.</param>
public sealed record KqlToken(KqlTokenKind Kind, string Text, int Start, string Value, bool IsObfuscated = false)
{
    /// <summary>True when this is an identifier or punctuation whose text equals <paramref name="text"/> (ordinal, case-insensitive).</summary>
    public bool Is(string text) =>
        Kind is KqlTokenKind.Identifier or KqlTokenKind.Punctuation &&
        string.Equals(Text, text, StringComparison.OrdinalIgnoreCase);
}
