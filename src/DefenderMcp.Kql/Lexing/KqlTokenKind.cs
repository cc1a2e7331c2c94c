namespace DefenderMcp.Kql.Lexing;

/// <summary>The kinds of token the KQL lexer produces. Trivia (whitespace, comments) is not emitted.</summary>
public enum KqlTokenKind
{
    /// <summary>A name: table, column, function, keyword (<c>where</c>, <c>project-away</c>, <c>!contains</c> are operators).</summary>
    Identifier,

    /// <summary>A bracket-quoted identifier such as <c>['my col']</c>; <see cref="KqlToken.Value"/> holds the name.</summary>
    QuotedIdentifier,

    /// <summary>Any string literal form; <see cref="KqlToken.Value"/> holds the decoded value.</summary>
    String,

    /// <summary>An integer, real or hex number.</summary>
    Number,

    /// <summary>A timespan literal such as <c>7d</c>, <c>30m</c>, <c>100ms</c>.</summary>
    Timespan,

    /// <summary>A "goo" literal such as <c>datetime(2024-01-01)</c>; <see cref="KqlToken.Value"/> holds the inner text.</summary>
    Goo,

    /// <summary>Punctuation or an operator (<c>|</c>, <c>==</c>, <c>=~</c>, <c>(</c>, <c>;</c>, <c>&lt;|</c>, ...).</summary>
    Punctuation,

    /// <summary>A client directive: <c>#</c> to end of line.</summary>
    Directive,
}
