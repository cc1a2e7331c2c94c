namespace DefenderMcp.Kql.Lexing;

/// <summary>The result of lexing: the tokens, or the first lexical error.</summary>
/// <param name="Tokens">Significant tokens in source order (empty when <see cref="Error"/> is set).</param>
/// <param name="Error">A short description of the first lexical error (e.g. an unterminated literal), or null.</param>
/// <param name="ErrorOffset">Offset of that error, or -1.</param>
public sealed record KqlLexResult(IReadOnlyList<KqlToken> Tokens, string? Error, int ErrorOffset)
{
    /// <summary>True when the text lexed without error.</summary>
    public bool Success => Error is null;
}
