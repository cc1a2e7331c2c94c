using System.Xml;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Hunting;

/// <summary>A validated hunting timespan: ISO-8601 duration, default P1D, clamped to the API's P30D maximum.</summary>
/// <param name="Value">The effective duration.</param>
/// <param name="Iso">The effective duration as ISO-8601, as sent to the API.</param>
/// <param name="Notice">Set when the requested value was clamped, or given in months or years (read as 30 and 365 days).</param>
public sealed record HuntingTimespan(TimeSpan Value, string Iso, string? Notice)
{
    /// <summary>The API's maximum look-back.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(30);

    /// <summary>The default look-back.</summary>
    public static HuntingTimespan Default { get; } = new(TimeSpan.FromDays(1), "P1D", null);

    /// <summary>Parses the tool argument; throws <c>invalid_input</c> for anything but a positive ISO-8601 duration.</summary>
    public static HuntingTimespan Parse(string? text)
    {
        if (text is null)
        {
            return Default;
        }

        TimeSpan value;
        try
        {
            if (!text.StartsWith('P') && !text.StartsWith('p'))
            {
                throw new FormatException();
            }

            // ISO-8601's week form (P2W) is a duration too, though xs:duration lacks it.
            value = Weeks(text) is { } weeks ? TimeSpan.FromDays(7 * weeks) : XmlConvert.ToTimeSpan(text.ToUpperInvariant());
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw ToolException.InvalidInput("'timespan' must be an ISO-8601 duration such as PT12H, P1D, P1W or P7D (at most P30D).");
        }

        if (value <= TimeSpan.Zero)
        {
            throw ToolException.InvalidInput("'timespan' must be a positive duration such as P1D.");
        }

        if (value > Maximum)
        {
            return new HuntingTimespan(Maximum, "P30D", $"timespan {text.ToUpperInvariant()} was clamped to P30D, the API's maximum look-back.");
        }

        // A month or a year has no fixed length; the parser counts 30 and 365 days, so say so rather than change it quietly.
        var iso = XmlConvert.ToString(value);
        var datePart = text.ToUpperInvariant().Split('T')[0];
        var calendar = datePart.Contains('Y', StringComparison.Ordinal) || datePart.Contains('M', StringComparison.Ordinal)
            ? $"timespan {text.ToUpperInvariant()} was read as {iso} (a month counts as 30 days, a year as 365); give days or weeks, such as P28D or P2W, for another length (at most P30D)."
            : null;
        return new HuntingTimespan(value, iso, calendar);
    }

    private static int? Weeks(string text) =>
        text.Length is >= 3 and <= 6 && char.ToUpperInvariant(text[^1]) == 'W' && int.TryParse(text.AsSpan(1, text.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var weeks)
            ? weeks
            : null;
}
