using System.Globalization;
using System.Text;

namespace DefenderMcp.Kql.Lexing;

/// <summary>
/// Scans and decodes KQL string literals: regular <c>'…'</c>/<c>"…"</c> with backslash escapes, verbatim
/// <c>@'…'</c>/<c>@"…"</c> with doubled quotes, and multi-line <c>```…```</c>/<c>~~~…~~~</c>. Single pass, no backtracking.
/// </summary>
internal static class KqlStringScanner
{
    private const string MultiLineQuote = "```";
    private const string AlternateMultiLineQuote = "~~~";

    /// <summary>True when a string literal (without the <c>h</c> prefix) starts at <paramref name="index"/>.</summary>
    public static bool IsStart(string text, int index)
    {
        var c = At(text, index);
        return c is '\'' or '"'
            || (c == '@' && At(text, index + 1) is '\'' or '"')
            || KqlLexicon.MatchesAt(text, index, MultiLineQuote)
            || KqlLexicon.MatchesAt(text, index, AlternateMultiLineQuote);
    }

    /// <summary>
    /// Reads the literal starting at <paramref name="index"/> (which <see cref="IsStart"/> accepted).
    /// Returns null on success with the end offset and decoded value, or a short error.
    /// </summary>
    public static string? Read(string text, int index, out int end, out string value)
    {
        end = index;
        value = string.Empty;
        foreach (var quote in (ReadOnlySpan<string>)[MultiLineQuote, AlternateMultiLineQuote])
        {
            if (KqlLexicon.MatchesAt(text, index, quote))
            {
                // Multi-line: no escapes, ends at the next delimiter.
                var close = text.IndexOf(quote, index + quote.Length, StringComparison.Ordinal);
                if (close < 0)
                {
                    return "unterminated multi-line string literal";
                }

                value = text[(index + quote.Length)..close];
                end = close + quote.Length;
                return null;
            }
        }

        var verbatim = text[index] == '@';
        var delimiter = verbatim ? text[index + 1] : text[index];
        var sb = new StringBuilder();
        var j = verbatim ? index + 2 : index + 1;
        while (true)
        {
            // Regular and verbatim literals must close on the same line.
            if (j >= text.Length || text[j] is '\r' or '\n')
            {
                return "unterminated string literal";
            }

            var c = text[j];
            if (c == delimiter)
            {
                if (verbatim && At(text, j + 1) == delimiter)
                {
                    sb.Append(delimiter);
                    j += 2;
                    continue;
                }

                end = j + 1;
                value = sb.ToString();
                return null;
            }

            if (c == '\\' && !verbatim)
            {
                var length = Escape(text, j, sb);
                if (length < 0)
                {
                    return "invalid escape sequence in string literal";
                }

                j += length;
                continue;
            }

            if (KqlLexicon.IsForbiddenControl(c))
            {
                return "control character in string literal";
            }

            sb.Append(c);
            j++;
        }
    }

    /// <summary>Decodes the escape at <paramref name="index"/> (a backslash); returns its length or -1.</summary>
    private static int Escape(string text, int index, StringBuilder sb)
    {
        var c = At(text, index + 1);
        switch (c)
        {
            case '\\' or '\'' or '"':
                sb.Append(c);
                return 2;
            case 'a': sb.Append('\a'); return 2;
            case 'b': sb.Append('\b'); return 2;
            case 'f': sb.Append('\f'); return 2;
            case 'n': sb.Append('\n'); return 2;
            case 'r': sb.Append('\r'); return 2;
            case 't': sb.Append('\t'); return 2;
            case 'v': sb.Append('\v'); return 2;
            case 'x': return Hex(text, index + 2, 2, sb) ? 4 : -1;
            case 'u': return Hex(text, index + 2, 4, sb) ? 6 : -1;
            case 'U': return Hex(text, index + 2, 8, sb) ? 10 : -1;
            case >= '0' and <= '7':
                // Octal \0 .. \377: up to three digits, three only when the first is 0-3.
                var digits = At(text, index + 2) is >= '0' and <= '7' ? (c <= '3' && At(text, index + 3) is >= '0' and <= '7' ? 3 : 2) : 1;
                var code = 0;
                for (var k = 0; k < digits; k++)
                {
                    code = (code * 8) + (text[index + 1 + k] - '0');
                }

                sb.Append((char)code);
                return digits + 1;
            default:
                return -1;
        }
    }

    private static bool Hex(string text, int start, int count, StringBuilder sb)
    {
        if (start + count > text.Length)
        {
            return false;
        }

        for (var k = start; k < start + count; k++)
        {
            if (!char.IsAsciiHexDigit(text[k]))
            {
                return false;
            }
        }

        var code = long.Parse(text.AsSpan(start, count), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (count < 8)
        {
            sb.Append((char)code);
        }
        else
        {
            // \UXXXXXXXX: any eight hex digits lex; only valid scalar values decode, others become U+FFFD.
            sb.Append(code is >= 0 and <= 0x10FFFF && code is not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32((int)code) : "\uFFFD");
        }

        return true;
    }

    private static char At(string text, int index) => index >= 0 && index < text.Length ? text[index] : '\0';
}
