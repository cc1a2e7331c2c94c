using System.Globalization;
using System.Xml;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// The <c>Timespan</c> of <c>runHuntingQuery</c>: an ISO-8601 duration (<c>P1D</c>, <c>PT12H</c>) reaching back from
/// now, a start instant (to now), or an interval <c>start/end</c>, <c>start/duration</c> or <c>duration/end</c>.
/// Absent means the last 30 days.
/// </summary>
public static class HuntingWindow
{
    /// <summary>The default look-back of the service.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromDays(30);

    /// <summary>
    /// The window for <paramref name="timespan"/>, or null when it is not a valid positive duration or interval.
    /// An interval ending in the past ends the window there; one ending in the future ends it now.
    /// </summary>
    public static (DateTime Start, DateTime End)? Parse(string? timespan, DateTime nowUtc)
    {
        if (timespan is null)
        {
            return (nowUtc - Default, nowUtc);
        }

        var parts = timespan.Trim().Split('/');
        if (parts.Length == 1)
        {
            return Duration(parts[0]) is { } d ? (nowUtc - d, nowUtc)
                : Instant(parts[0]) is { } from && from < nowUtc ? (from, nowUtc)
                : null;
        }

        if (parts.Length != 2)
        {
            return null;
        }

        DateTime start, end;
        if (Instant(parts[0]) is { } s && Instant(parts[1]) is { } e)
        {
            (start, end) = (s, e);
        }
        else if (Instant(parts[0]) is { } s2 && Duration(parts[1]) is { } d2)
        {
            (start, end) = (s2, s2 + d2);
        }
        else if (Duration(parts[0]) is { } d3 && Instant(parts[1]) is { } e3)
        {
            (start, end) = (e3 - d3, e3);
        }
        else
        {
            return null;
        }

        end = end > nowUtc ? nowUtc : end;
        return start < end ? (start, end) : null;
    }

    private static TimeSpan? Duration(string text)
    {
        if (!text.StartsWith('P'))
        {
            return null;
        }

        try
        {
            var value = XmlConvert.ToTimeSpan(text);
            return value > TimeSpan.Zero ? value : null;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return null;
        }
    }

    private static DateTime? Instant(string text) =>
        text.Length >= 10 && char.IsAsciiDigit(text[0]) &&
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;
}
