namespace DefenderMcp.Kql.Lexing;

/// <summary>
/// The fixed vocabulary of the KQL lexer, taken from the official Kusto lexer (defender-api.md §5.3):
/// character classes, punctuation, multi-character keywords, goo-literal keywords and timespan suffixes.
/// </summary>
internal static class KqlLexicon
{
    /// <summary>Punctuation, longest first so the first match is the longest match.</summary>
    public static readonly string[] Punctuations =
    [
        "-->", "<--",
        "<|", "==", "=~", "!=", "!~", "<=", ">=", "<>", "=>", "..",
        "|", ".", ",", ";", ":", "(", ")", "[", "]", "{", "}", "=", "<", ">", "+", "-", "*", "/", "%", "@", "!", "?",
    ];

    /// <summary>Hyphenated keywords that lex as one identifier token (matched ignoring case, so guards fail closed).</summary>
    public static readonly string[] HyphenatedKeywords =
    [
        "assert-schema", "commands-and-queries", "granny-asc", "granny-desc", "graph-mark-components", "graph-match",
        "graph-shortest-paths", "graph-to-table", "graph-where-edges", "graph-where-nodes", "macro-expand", "make-graph",
        "make-series", "materialized-view-combine", "mv-apply", "mv-expand", "parse-kv", "parse-where", "partitioned-by",
        "project-away", "project-by-names", "project-keep", "project-rename", "project-reorder", "project-smart",
        "sample-distinct", "set-or-append", "set-or-replace", "top-hitters", "top-nested",
    ];

    /// <summary>Negated string operators that lex as one token (Kind Punctuation); <c>!in~</c> keeps its tilde.</summary>
    public static readonly string[] NegatedOperators =
    [
        "!between", "!contains", "!contains_cs", "!endswith", "!endswith_cs", "!has", "!has_cs", "!hasprefix",
        "!hasprefix_cs", "!hassuffix", "!hassuffix_cs", "!in~", "!in", "!startswith", "!startswith_cs",
    ];

    /// <summary>
    /// Keywords that start a goo literal when immediately followed by <c>(</c>. Case-sensitive, exactly as the server:
    /// a goo literal hides its text from the guard, so it must never be recognised where the server would not.
    /// </summary>
    public static readonly HashSet<string> GooKeywords = new(StringComparer.Ordinal)
    {
        "datetime", "date", "time", "timespan", "guid", "long", "int64", "int", "int32", "real", "double", "decimal", "bool",
    };

    /// <summary>Timespan suffixes; the longest one that matches wins.</summary>
    public static readonly string[] TimespanSuffixes =
    [
        "m", "min", "minute", "minutes",
        "s", "sec", "second", "seconds",
        "d", "day", "days",
        "h", "hr", "hrs", "hour", "hours",
        "ms", "milli", "millis", "millisec", "millisecond", "milliseconds",
        "micro", "micros", "microsec", "microsecond", "microseconds",
        "nano", "nanos", "nanosec", "nanosecond", "nanoseconds",
        "tick", "ticks",
    ];

    /// <summary>Characters that start an identifier: ASCII letters, <c>_</c> and <c>$</c> (as in <c>$left</c>).</summary>
    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    /// <summary>Characters that continue an identifier: ASCII letters, digits and <c>_</c> (not <c>$</c>).</summary>
    public static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Line ends for comments, directives and goo literals.</summary>
    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    /// <summary>Whitespace trivia: the official list plus the Unicode line and paragraph separators.</summary>
    public static bool IsWhitespace(char c) =>
        c is ' ' or '\t' or '\r' or '\n' or '\f' or '\u00A0' or '\u1680' or '\u180E' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF'
            or '\u2028' or '\u2029'
        || c is >= '\u2000' and <= '\u200B';

    /// <summary>Control characters the lexer refuses anywhere: every control character but tab, CR and LF.</summary>
    public static bool IsForbiddenControl(char c) => char.IsControl(c) && c is not ('\t' or '\r' or '\n');

    /// <summary>True when <paramref name="word"/> occurs at <paramref name="index"/> (ignoring ASCII case when asked).</summary>
    public static bool MatchesAt(string text, int index, string word, bool ignoreCase = false) =>
        index + word.Length <= text.Length &&
        string.Compare(text, index, word, 0, word.Length, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal) == 0;
}
