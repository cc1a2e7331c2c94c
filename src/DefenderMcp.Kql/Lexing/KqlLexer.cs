using System.Text;

namespace DefenderMcp.Kql.Lexing;

/// <summary>
/// A KQL lexer following the Kusto lexical rules (defender-api.md §5.3): all string forms, <c>//</c> comments,
/// quoted identifiers, goo literals, timespans and longest-match punctuation. Linear time, no recursion.
/// </summary>
public static class KqlLexer
{
    private static readonly string[] Punctuations =
    [
        "<|", "==", "=~", "!=", "!~", "<=", ">=", "<>", "=>", "..", "-->", "<--",
        "|", ".", ",", ";", ":", "(", ")", "[", "]", "{", "}", "=", "<", ">", "+", "-", "*", "/", "%", "@", "!", "?",
    ];

    private static readonly HashSet<string> GooWords = new(StringComparer.Ordinal)
    {
        "datetime", "date", "time", "timespan", "guid", "long", "int64", "int", "int32", "real", "double", "decimal", "bool", "boolean",
    };

    private static readonly string[] TimespanSuffixes =
        ["microseconds", "microsecond", "milliseconds", "millisecond", "seconds", "second", "minutes", "minute", "hours", "hour", "days", "day", "ticks", "tick", "micros", "micro", "min", "ms", "d", "h", "m", "s"];

    /// <summary>Tokenizes <paramref name="text"/>; on a lexical error returns no tokens and the error.</summary>
    public static KqlLexResult Tokenize(string text)
    {
        var tokens = new List<KqlToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsWhitespace(c))
            {
                i++;
                continue;
            }

            if (char.IsControl(c))
            {
                return Fail("control character", i);
            }

            if (c == '/' && At(text, i + 1) == '/')
            {
                while (i < text.Length && !IsLineEnd(text[i]))
                {
                    i++;
                }

                continue;
            }

            var start = i;
            if (c == '#')
            {
                while (i < text.Length && !IsLineEnd(text[i]))
                {
                    i++;
                }

                tokens.Add(new KqlToken(KqlTokenKind.Directive, text[start..i], start, text[start..i]));
                continue;
            }

            // h'...' obfuscated strings: a lone h/H directly before a string opener.
            if ((c == 'h' || c == 'H') && IsStringStart(text, i + 1) && !IsIdentifierChar(At(text, i - 1)))
            {
                var error = ReadString(text, i + 1, out var end, out var value);
                if (error is not null)
                {
                    return Fail(error, start);
                }

                tokens.Add(new KqlToken(KqlTokenKind.String, text[start..end], start, value, IsObfuscated: true));
                i = end;
                continue;
            }

            if (IsStringStart(text, i))
            {
                var error = ReadString(text, i, out var end, out var value);
                if (error is not null)
                {
                    return Fail(error, start);
                }

                tokens.Add(new KqlToken(KqlTokenKind.String, text[start..end], start, value));
                i = end;
                continue;
            }

            if (c == '[' && (At(text, i + 1) is '\'' or '"' || (At(text, i + 1) == '@' && At(text, i + 2) is '\'' or '"')))
            {
                var error = ReadString(text, i + 1, out var end, out var value);
                if (error is not null)
                {
                    return Fail(error, start);
                }

                var close = end;
                while (close < text.Length && IsWhitespace(text[close]))
                {
                    close++;
                }

                if (At(text, close) == ']')
                {
                    tokens.Add(new KqlToken(KqlTokenKind.QuotedIdentifier, text[start..(close + 1)], start, value));
                    i = close + 1;
                    continue;
                }

                // Not a ['name']: an array such as dynamic(['a', 'b']); '[' is punctuation and the string lexes next.
                tokens.Add(new KqlToken(KqlTokenKind.Punctuation, "[", start, "["));
                i++;
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                i = ReadNumber(text, i, out var kind);
                tokens.Add(new KqlToken(kind, text[start..i], start, text[start..i]));
                continue;
            }

            if (c == '!' && IsIdentifierStart(At(text, i + 1)))
            {
                // Negated string operators are single tokens: !contains, !has, !in~, !startswith_cs ...
                var end = i + 1;
                while (end < text.Length && IsIdentifierChar(text[end]))
                {
                    end++;
                }

                if (At(text, end) == '~')
                {
                    end++;
                }

                tokens.Add(new KqlToken(KqlTokenKind.Punctuation, text[start..end], start, text[start..end]));
                i = end;
                continue;
            }

            if (IsIdentifierStart(c))
            {
                i++;
                while (i < text.Length && (IsIdentifierChar(text[i]) || (text[i] == '-' && IsIdentifierStart(At(text, i + 1)) && IsHyphenated(text, start, i))))
                {
                    i++;
                }

                if (At(text, i) == '~' && text.AsSpan(start, i - start) is "in" or "has_any")
                {
                    i++;
                }

                var word = text[start..i];
                if (GooWords.Contains(word) && At(text, i) == '(')
                {
                    var close = text.IndexOf(')', i);
                    var lineEnd = text.IndexOfAny(['\n', '\r'], i);
                    if (close < 0 || (lineEnd >= 0 && lineEnd < close))
                    {
                        return Fail($"unterminated {word}( literal", start);
                    }

                    tokens.Add(new KqlToken(KqlTokenKind.Goo, text[start..(close + 1)], start, text[(i + 1)..close].Trim()));
                    i = close + 1;
                    continue;
                }

                tokens.Add(new KqlToken(KqlTokenKind.Identifier, word, start, word));
                continue;
            }

            var punctuation = Punctuations.FirstOrDefault(p => string.CompareOrdinal(text, i, p, 0, p.Length) == 0);
            if (punctuation is null)
            {
                if (char.IsLetter(c) || char.IsSurrogate(c) || c > 127)
                {
                    // Other Unicode letters: treat as identifier characters, fail closed later on unknown names.
                    i++;
                    tokens.Add(new KqlToken(KqlTokenKind.Identifier, text[start..i], start, text[start..i]));
                    continue;
                }

                return Fail($"unexpected character '{c}'", i);
            }

            tokens.Add(new KqlToken(KqlTokenKind.Punctuation, punctuation, start, punctuation));
            i += punctuation.Length;
        }

        return new KqlLexResult(tokens, null, -1);

        static KqlLexResult Fail(string error, int offset) => new([], error, offset);
    }

    private static bool IsHyphenated(string text, int start, int hyphen)
    {
        // Only known hyphenated keywords join across '-': project-away, mv-expand, make-series ...
        var head = text.AsSpan(start, hyphen - start);
        return head is "project" or "mv" or "make" or "parse" or "top" or "macro" or "graph" or "assert" or "project-smart" or "make-graph" or "partition" or "scan" or "as";
    }

    private static char At(string text, int index) => index >= 0 && index < text.Length ? text[index] : '\0';

    private static bool IsStringStart(string text, int i)
    {
        var c = At(text, i);
        return c is '\'' or '"'
            || (c == '@' && At(text, i + 1) is '\'' or '"')
            || (c == '`' && At(text, i + 1) == '`' && At(text, i + 2) == '`')
            || (c == '~' && At(text, i + 1) == '~' && At(text, i + 2) == '~');
    }

    private static string? ReadString(string text, int i, out int end, out string value)
    {
        var sb = new StringBuilder();
        end = i;
        value = string.Empty;
        var c = text[i];
        if (c is '`' or '~')
        {
            var delimiter = new string(c, 3);
            var close = text.IndexOf(delimiter, i + 3, StringComparison.Ordinal);
            if (close < 0)
            {
                return "unterminated multi-line string";
            }

            value = text[(i + 3)..close];
            end = close + 3;
            return null;
        }

        var verbatim = c == '@';
        var quote = verbatim ? text[i + 1] : c;
        var j = verbatim ? i + 2 : i + 1;
        while (true)
        {
            if (j >= text.Length || IsLineEnd(text[j]))
            {
                return "unterminated string literal";
            }

            var ch = text[j];
            if (ch == quote)
            {
                if (verbatim && At(text, j + 1) == quote)
                {
                    sb.Append(quote);
                    j += 2;
                    continue;
                }

                end = j + 1;
                value = sb.ToString();
                return null;
            }

            if (ch == '\\' && !verbatim)
            {
                var esc = At(text, j + 1);
                switch (esc)
                {
                    case '\\' or '\'' or '"': sb.Append(esc); j += 2; continue;
                    case 'n': sb.Append('\n'); j += 2; continue;
                    case 'r': sb.Append('\r'); j += 2; continue;
                    case 't': sb.Append('\t'); j += 2; continue;
                    case 'a' or 'b' or 'f' or 'v': sb.Append(' '); j += 2; continue;
                    case 'u' when HexRun(text, j + 2, 4): sb.Append((char)Convert.ToInt32(text.Substring(j + 2, 4), 16)); j += 6; continue;
                    case 'U' when HexRun(text, j + 2, 8): sb.Append('?'); j += 10; continue;
                    case 'x' when HexRun(text, j + 2, 2): sb.Append((char)Convert.ToInt32(text.Substring(j + 2, 2), 16)); j += 4; continue;
                    case >= '0' and <= '7':
                        var k = j + 1;
                        while (k < j + 4 && At(text, k) is >= '0' and <= '7')
                        {
                            k++;
                        }

                        sb.Append('?');
                        j = k;
                        continue;
                    default:
                        return "invalid escape sequence in string literal";
                }
            }

            if (char.IsControl(ch) && ch != '\t')
            {
                return "control character in string literal";
            }

            sb.Append(ch);
            j++;
        }
    }

    private static bool HexRun(string text, int start, int count)
    {
        for (var k = start; k < start + count; k++)
        {
            if (!char.IsAsciiHexDigit(At(text, k)))
            {
                return false;
            }
        }

        return true;
    }

    private static int ReadNumber(string text, int i, out KqlTokenKind kind)
    {
        kind = KqlTokenKind.Number;
        if (text[i] == '0' && At(text, i + 1) is 'x' or 'X')
        {
            i += 2;
            while (char.IsAsciiHexDigit(At(text, i)))
            {
                i++;
            }

            return i;
        }

        while (char.IsAsciiDigit(At(text, i)))
        {
            i++;
        }

        if (At(text, i) == '.' && char.IsAsciiDigit(At(text, i + 1)))
        {
            i++;
            while (char.IsAsciiDigit(At(text, i)))
            {
                i++;
            }
        }

        if (At(text, i) is 'e' or 'E' && (char.IsAsciiDigit(At(text, i + 1)) || (At(text, i + 1) is '+' or '-' && char.IsAsciiDigit(At(text, i + 2)))))
        {
            i += 2;
            while (char.IsAsciiDigit(At(text, i)))
            {
                i++;
            }

            return i;
        }

        foreach (var suffix in TimespanSuffixes)
        {
            if (string.CompareOrdinal(text, i, suffix, 0, suffix.Length) == 0 && !IsIdentifierChar(At(text, i + suffix.Length)))
            {
                kind = KqlTokenKind.Timespan;
                return i + suffix.Length;
            }
        }

        return i;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';

    private static bool IsLineEnd(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    private static bool IsWhitespace(char c) =>
        c is ' ' or '\t' or '\r' or '\n' or '\f' or '\u00A0' or '\u1680' or '\u180E' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' or '\u2028' or '\u2029'
        || (c >= '\u2000' && c <= '\u200B');
}
