namespace DefenderMcp.Emulator.Hunting.Evaluation;

/// <summary>KQL's string operators over plain text (null text is the empty string, as in KQL).</summary>
internal static class StringMatch
{
    /// <summary>
    /// KQL <c>has</c>: <paramref name="term"/> occurs as whole terms of <paramref name="text"/>, where terms are runs of
    /// letters and digits. A term with punctuation at its edge (<c>"cmd.exe"</c>) needs a boundary only where it is
    /// alphanumeric.
    /// </summary>
    public static bool Has(string? text, string term, bool caseSensitive)
    {
        text ??= string.Empty;
        if (term.Length == 0)
        {
            return true;
        }

        var comparison = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var startsAlnum = char.IsLetterOrDigit(term[0]);
        var endsAlnum = char.IsLetterOrDigit(term[^1]);
        var index = 0;
        while ((index = text.IndexOf(term, index, comparison)) >= 0)
        {
            var end = index + term.Length;
            var before = !startsAlnum || index == 0 || !char.IsLetterOrDigit(text[index - 1]);
            var after = !endsAlnum || end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (before && after)
            {
                return true;
            }

            index++;
        }

        return false;
    }

    /// <summary>KQL <c>hasprefix</c>: some term of <paramref name="text"/> starts with <paramref name="prefix"/>.</summary>
    public static bool HasPrefix(string? text, string prefix, bool caseSensitive) => HasEdge(text, prefix, caseSensitive, atStart: true);

    /// <summary>KQL <c>hassuffix</c>: some term of <paramref name="text"/> ends with <paramref name="suffix"/>.</summary>
    public static bool HasSuffix(string? text, string suffix, bool caseSensitive) => HasEdge(text, suffix, caseSensitive, atStart: false);

    private static bool HasEdge(string? text, string part, bool caseSensitive, bool atStart)
    {
        text ??= string.Empty;
        if (part.Length == 0)
        {
            return true;
        }

        var comparison = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var edgeAlnum = char.IsLetterOrDigit(atStart ? part[0] : part[^1]);
        var index = 0;
        while ((index = text.IndexOf(part, index, comparison)) >= 0)
        {
            var boundary = atStart
                ? !edgeAlnum || index == 0 || !char.IsLetterOrDigit(text[index - 1])
                : !edgeAlnum || index + part.Length == text.Length || !char.IsLetterOrDigit(text[index + part.Length]);
            if (boundary)
            {
                return true;
            }

            index++;
        }

        return false;
    }

    /// <summary>The test behind a binary string operator name such as <c>contains</c> or <c>endswith_cs</c>.</summary>
    public static Func<string?, string, bool>? For(string op) => op switch
    {
        "has" => (s, v) => Has(s, v, false),
        "has_cs" => (s, v) => Has(s, v, true),
        "hasprefix" => (s, v) => HasPrefix(s, v, false),
        "hasprefix_cs" => (s, v) => HasPrefix(s, v, true),
        "hassuffix" => (s, v) => HasSuffix(s, v, false),
        "hassuffix_cs" => (s, v) => HasSuffix(s, v, true),
        "contains" => (s, v) => (s ?? string.Empty).Contains(v, StringComparison.OrdinalIgnoreCase),
        "contains_cs" => (s, v) => (s ?? string.Empty).Contains(v, StringComparison.Ordinal),
        "startswith" => (s, v) => (s ?? string.Empty).StartsWith(v, StringComparison.OrdinalIgnoreCase),
        "startswith_cs" => (s, v) => (s ?? string.Empty).StartsWith(v, StringComparison.Ordinal),
        "endswith" => (s, v) => (s ?? string.Empty).EndsWith(v, StringComparison.OrdinalIgnoreCase),
        "endswith_cs" => (s, v) => (s ?? string.Empty).EndsWith(v, StringComparison.Ordinal),
        _ => null,
    };
}
