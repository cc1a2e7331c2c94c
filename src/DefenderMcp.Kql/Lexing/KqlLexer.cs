namespace DefenderMcp.Kql.Lexing;

/// <summary>
/// A KQL lexer that follows the official Kusto lexer (defender-api.md §5.3). Trivia (whitespace, <c>//</c> comments)
/// is dropped. Linear time, no recursion, no regular expressions: it is fed untrusted text.
/// </summary>
/// <remarks>
/// Token shapes: every string form is one <see cref="KqlTokenKind.String"/> whose <see cref="KqlToken.Value"/> is the
/// decoded text (<c>h</c>-prefixed ones are marked <see cref="KqlToken.IsObfuscated"/>); <c>['name']</c> and
/// <c>["name"]</c> are <see cref="KqlTokenKind.QuotedIdentifier"/> (Value = name) unless the bracket holds more than one
/// string, which makes it an array; <c>datetime(…)</c> and the other goo literals are one
/// <see cref="KqlTokenKind.Goo"/> token (Value = inner text up to the first <c>)</c>); hyphenated keywords such as
/// <c>project-away</c> and <c>in~</c> are <see cref="KqlTokenKind.Identifier"/>; negated string operators such as
/// <c>!contains</c> and <c>!in~</c> are single <see cref="KqlTokenKind.Punctuation"/> tokens; <c>#…</c> to the end of the
/// line is a <see cref="KqlTokenKind.Directive"/>. Raw GUIDs are not a token of their own (they lex as numbers,
/// identifiers and <c>-</c>). Control characters other than tab, CR and LF are an error anywhere, even in comments.
/// </remarks>
public static class KqlLexer
{
    /// <summary>Tokenizes <paramref name="text"/>; on a lexical error returns no tokens and the error.</summary>
    public static KqlLexResult Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var k = 0; k < text.Length; k++)
        {
            if (KqlLexicon.IsForbiddenControl(text[k]))
            {
                return Fail("control character", k);
            }
        }

        var tokens = new List<KqlToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            if (KqlLexicon.IsWhitespace(c))
            {
                i++;
            }
            else if (c == '/' && At(text, i + 1) == '/')
            {
                i = LineEnd(text, i);
            }
            else if (c == '#')
            {
                i = LineEnd(text, i);
                tokens.Add(Token(KqlTokenKind.Directive, text, start, i));
            }
            else if (KqlStringScanner.IsStart(text, i) || ((c is 'h' or 'H') && KqlStringScanner.IsStart(text, i + 1)))
            {
                // h'…' hides a secret: the prefix is only recognised when the identifier would be the single letter h.
                var obfuscated = c is 'h' or 'H';
                var error = KqlStringScanner.Read(text, obfuscated ? i + 1 : i, out i, out var value);
                if (error is not null)
                {
                    return Fail(error, start);
                }

                tokens.Add(new KqlToken(KqlTokenKind.String, text[start..i], start, value, obfuscated));
            }
            else if (c == '[' && (At(text, i + 1) is '\'' or '"' || (At(text, i + 1) == '@' && At(text, i + 2) is '\'' or '"')))
            {
                var error = KqlStringScanner.Read(text, i + 1, out var end, out var value);
                if (error is not null)
                {
                    return Fail(error, i + 1);
                }

                var close = end;
                while (close < text.Length && KqlLexicon.IsWhitespace(text[close]))
                {
                    close++;
                }

                if (At(text, close) == ']')
                {
                    i = close + 1;
                    tokens.Add(new KqlToken(KqlTokenKind.QuotedIdentifier, text[start..i], start, value));
                }
                else
                {
                    // Not ['name'] but an array such as dynamic(['a', 'b']): '[' alone; the string lexes next.
                    i++;
                    tokens.Add(Token(KqlTokenKind.Punctuation, text, start, i));
                }
            }
            else if (c == '!' && NegatedOperator(text, i) is { } negated)
            {
                i += negated.Length;
                tokens.Add(Token(KqlTokenKind.Punctuation, text, start, i));
            }
            else if (char.IsAsciiDigit(c))
            {
                i = ReadNumber(text, i, out var kind);
                tokens.Add(Token(kind, text, start, i));
            }
            else if (KqlLexicon.IsIdentifierStart(c))
            {
                var error = ReadWord(text, i, out i, out var kind);
                if (error is not null)
                {
                    return Fail(error, start);
                }

                tokens.Add(kind == KqlTokenKind.Goo
                    ? new KqlToken(kind, text[start..i], start, text[(text.IndexOf('(', start) + 1)..(i - 1)].Trim())
                    : Token(kind, text, start, i));
            }
            else if (Punctuation(text, i) is { } punctuation)
            {
                i += punctuation.Length;
                tokens.Add(Token(KqlTokenKind.Punctuation, text, start, i));
            }
            else
            {
                // Not part of the language (the server answers with a bad token): name the code point, never the text.
                return Fail($"unexpected character U+{(int)c:X4}", i);
            }
        }

        return new KqlLexResult(tokens, null, -1);
    }

    private static KqlLexResult Fail(string error, int offset) => new([], error, offset);

    private static KqlToken Token(KqlTokenKind kind, string text, int start, int end)
    {
        var slice = text[start..end];
        return new KqlToken(kind, slice, start, slice);
    }

    private static char At(string text, int index) => index >= 0 && index < text.Length ? text[index] : '\0';

    private static int LineEnd(string text, int i)
    {
        while (i < text.Length && !KqlLexicon.IsLineBreak(text[i]))
        {
            i++;
        }

        return i;
    }

    private static string? NegatedOperator(string text, int i)
    {
        // Longest first is built into the list order for !in~ / !in; others differ by a suffix checked below.
        string? best = null;
        foreach (var op in KqlLexicon.NegatedOperators)
        {
            if ((best is null || op.Length > best.Length) && KqlLexicon.MatchesAt(text, i, op, ignoreCase: true) &&
                (op[^1] == '~' || !KqlLexicon.IsIdentifierChar(At(text, i + op.Length))))
            {
                best = op;
            }
        }

        return best;
    }

    private static string? Punctuation(string text, int i)
    {
        foreach (var p in KqlLexicon.Punctuations)
        {
            if (KqlLexicon.MatchesAt(text, i, p))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Reads an identifier, a hyphenated keyword, <c>in~</c> or a goo literal starting at <paramref name="i"/>.</summary>
    private static string? ReadWord(string text, int i, out int end, out KqlTokenKind kind)
    {
        kind = KqlTokenKind.Identifier;
        var start = i;
        var keywordEnd = i;
        foreach (var keyword in KqlLexicon.HyphenatedKeywords)
        {
            if (i + keyword.Length > keywordEnd && KqlLexicon.MatchesAt(text, i, keyword, ignoreCase: true) &&
                !KqlLexicon.IsIdentifierChar(At(text, i + keyword.Length)))
            {
                keywordEnd = i + keyword.Length;
            }
        }

        if (keywordEnd > start)
        {
            end = keywordEnd;
            return null;
        }

        end = i + 1;
        while (end < text.Length && KqlLexicon.IsIdentifierChar(text[end]))
        {
            end++;
        }

        var word = text.AsSpan(start, end - start);
        if (At(text, end) == '~' && word.Equals("in", StringComparison.OrdinalIgnoreCase))
        {
            end++;
            return null;
        }

        if (At(text, end) == '(' && KqlLexicon.GooKeywords.Contains(word.ToString()))
        {
            // Goo: everything up to the first ')' on the same line, with no quote awareness (as the server).
            var close = end + 1;
            while (close < text.Length && text[close] != ')' && !KqlLexicon.IsLineBreak(text[close]))
            {
                close++;
            }

            if (At(text, close) != ')')
            {
                return "unterminated literal (missing ')')";
            }

            end = close + 1;
            kind = KqlTokenKind.Goo;
        }

        return null;
    }

    /// <summary>Reads a real, timespan, long (decimal or hex) or digit-led identifier, in the server's order.</summary>
    private static int ReadNumber(string text, int i, out KqlTokenKind kind)
    {
        kind = KqlTokenKind.Number;
        if (ScanReal(text, i) is var real and > 0)
        {
            return i + real;
        }

        if (ScanTimespan(text, i) is var timespan and > 0)
        {
            kind = KqlTokenKind.Timespan;
            return i + timespan;
        }

        if (ScanLong(text, i) is var number and > 0)
        {
            return i + number;
        }

        // Digits followed by a letter or '_' (1abc): an identifier, as the server lexes it.
        kind = KqlTokenKind.Identifier;
        var end = i;
        while (end < text.Length && KqlLexicon.IsIdentifierChar(text[end]))
        {
            end++;
        }

        return end;
    }

    private static int Digits(string text, int i)
    {
        var end = i;
        while (char.IsAsciiDigit(At(text, end)))
        {
            end++;
        }

        return end - i;
    }

    private static int ScanExponent(string text, int i)
    {
        if (At(text, i) is not ('e' or 'E'))
        {
            return 0;
        }

        var sign = At(text, i + 1) is '+' or '-' ? 1 : 0;
        var digits = Digits(text, i + 1 + sign);
        return digits > 0 ? 1 + sign + digits : -1;
    }

    private static int ScanReal(string text, int i)
    {
        var pos = i + Digits(text, i);
        if (At(text, pos) == '.' && (At(text, pos + 1) != '.' || At(text, pos + 2) == '.'))
        {
            pos++;
            pos += Digits(text, pos);
            var exponent = ScanExponent(text, pos);
            pos += Math.Max(exponent, 0);
        }
        else
        {
            var exponent = ScanExponent(text, pos);
            if (exponent <= 0)
            {
                return -1;
            }

            pos += exponent;
        }

        return KqlLexicon.IsIdentifierChar(At(text, pos)) ? -1 : pos - i;
    }

    private static int ScanTimespan(string text, int i)
    {
        var pos = i + Digits(text, i);
        if (At(text, pos) == '.' && Digits(text, pos + 1) > 0)
        {
            pos += 1 + Digits(text, pos + 1);
        }

        var suffix = 0;
        foreach (var candidate in KqlLexicon.TimespanSuffixes)
        {
            if (candidate.Length > suffix && KqlLexicon.MatchesAt(text, pos, candidate))
            {
                suffix = candidate.Length;
            }
        }

        return suffix == 0 || KqlLexicon.IsIdentifierChar(At(text, pos + suffix)) ? -1 : pos + suffix - i;
    }

    private static int ScanLong(string text, int i)
    {
        var pos = i;
        if (text[i] == '0' && At(text, i + 1) is 'x' or 'X' && char.IsAsciiHexDigit(At(text, i + 2)))
        {
            pos = i + 2;
            while (char.IsAsciiHexDigit(At(text, pos)))
            {
                pos++;
            }

            if (!KqlLexicon.IsIdentifierChar(At(text, pos)))
            {
                return pos - i;
            }
        }

        pos = i + Digits(text, i);
        return KqlLexicon.IsIdentifierChar(At(text, pos)) ? -1 : pos - i;
    }
}
