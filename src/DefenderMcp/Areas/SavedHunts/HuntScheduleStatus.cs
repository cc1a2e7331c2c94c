using System.Globalization;
using System.Text;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>
/// What a polling analyst needs besides the runs: is one under way, and when is the next due.
/// </summary>
/// <param name="Tenants">The stored schedule's tenants, or null when the hunt is not scheduled.</param>
/// <param name="RunInProgress">True or false when this server can know, null when it cannot.</param>
/// <param name="Schedule">A short sentence such as "every 1h, next run 2026-12-01T10:00:00Z (UTC)", or null when not scheduled.</param>
public sealed record HuntScheduleStatus(IReadOnlyList<string>? Tenants, bool? RunInProgress, string? Schedule)
{
    /// <summary>
    /// The sentence for a schedule of <paramref name="every"/> whose next run is at <paramref name="next"/> (null when
    /// this server cannot tell), seen at <paramref name="now"/>: "due now" when that time has come.
    /// </summary>
    public static string Sentence(TimeSpan every, DateTimeOffset? next, DateTimeOffset now)
    {
        var when = next switch
        {
            null => "unknown",
            { } at when at <= now => "due now",
            { } at => Mcp.Text.Utc(at) + " (UTC)",
        };
        return $"every {Interval(every)}, next run {when}";
    }

    /// <summary>An interval as an analyst reads it: 1h, 15m, 1h30m, 7d, 200ms.</summary>
    public static string Interval(TimeSpan every)
    {
        var text = new StringBuilder();
        Append(text, every.Days, "d");
        Append(text, every.Hours, "h");
        Append(text, every.Minutes, "m");
        Append(text, every.Seconds, "s");
        Append(text, every.Milliseconds, "ms");
        return text.Length == 0 ? "0s" : text.ToString();
    }

    private static void Append(StringBuilder text, int value, string unit)
    {
        if (value != 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
