using System.Globalization;
using System.Xml;
using DefenderMcp.Kql.Lexing;

namespace DefenderMcp.Kql.Guard;

/// <summary>
/// The longest <c>ago(&lt;timespan literal&gt;)</c> of a query. The hunting service searches only the request's
/// timespan whatever the query says, so <c>where Timestamp &gt; ago(7d)</c> under the default one day silently reads
/// one day: comparing the two lets the guard say so.
/// </summary>
public static class KqlLookBack
{
    /// <summary>The longest literal look-back in <paramref name="tokens"/> and its text (e.g. <c>7d</c>), or null.</summary>
    public static (TimeSpan Span, string Literal)? Longest(IReadOnlyList<KqlToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        (TimeSpan Span, string Literal)? longest = null;
        for (var i = 0; i + 3 < tokens.Count; i++)
        {
            if (tokens[i].Kind == KqlTokenKind.Identifier && tokens[i].Is("ago") && tokens[i + 1].Is("(") &&
                tokens[i + 2].Kind == KqlTokenKind.Timespan && tokens[i + 3].Is(")") &&
                Parse(tokens[i + 2].Text) is { } span && (longest is null || span > longest.Value.Span))
            {
                longest = (span, tokens[i + 2].Text);
            }
        }

        return longest;
    }

    /// <summary>
    /// <paramref name="span"/> as an ISO-8601 duration, exactly (<c>P1DT1H</c>, <c>PT1H30M</c>, <c>PT1S</c>): the form
    /// the hunting tool sends a timespan in, so a warning names the timespan the service really searched.
    /// </summary>
    public static string Iso(TimeSpan span) => XmlConvert.ToString(span);

    /// <summary>
    /// The timespan that covers <paramref name="span"/>: the same length, rounded up to a whole second (a look-back
    /// such as <c>ago(1.333h)</c> would otherwise be suggested with a fraction of a second).
    /// </summary>
    public static TimeSpan Cover(TimeSpan span) => TimeSpan.FromSeconds(Math.Ceiling(span.TotalSeconds));

    // A KQL timespan literal: digits, an optional fraction, then a unit (7d, 1.5h, 30min, 100ms).
    private static TimeSpan? Parse(string literal)
    {
        var end = 0;
        while (end < literal.Length && (char.IsAsciiDigit(literal[end]) || literal[end] == '.'))
        {
            end++;
        }

        if (!double.TryParse(literal.AsSpan(0, end), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        var unit = literal[end..].ToLowerInvariant();
        double? seconds = unit switch
        {
            "d" or "day" or "days" => 86_400,
            "h" or "hr" or "hrs" or "hour" or "hours" => 3_600,
            "m" or "min" or "minute" or "minutes" => 60,
            "s" or "sec" or "second" or "seconds" => 1,
            _ => null, // milli-, micro-, nanoseconds and ticks: never wider than a timespan
        };
        return seconds is { } s && amount * s < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(amount * s) : null;
    }
}
