using System.Globalization;
using System.Text.RegularExpressions;

namespace DefenderMcp.Mcp;

/// <summary>
/// Reads the ISO-8601 date-times the tools take, and nothing else: a general date parser also reads 03/12/2026 or
/// "Dec 2 2026", and reads the first one US-style, so a filter would silently use another day than the caller meant.
/// </summary>
public static partial class IsoDateTime
{
    /// <summary>The earliest year a date-time argument may fall in (UTC).</summary>
    public const int MinimumYear = 2000;

    /// <summary>The latest year a date-time argument may fall in (UTC).</summary>
    public const int MaximumYear = 2100;

    /// <summary>
    /// Parses yyyy-MM-dd, or yyyy-MM-ddTHH:mm[:ss[.fffffff]] with an optional Z or ±HH:mm offset (UTC when none), into
    /// UTC; false for any other text or an impossible date such as 2026-02-30.
    /// </summary>
    public static bool Parse(string text, out DateTimeOffset value)
    {
        value = default;
        return Shape().IsMatch(text) &&
               DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,7})?)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
