using System.Globalization;

namespace DefenderMcp.Mcp;

/// <summary>Bounds upstream strings before they reach a model, and writes times into sentences.</summary>
public static class Text
{
    /// <summary>Default cap for one upstream string.</summary>
    public const int DefaultMax = 1024;

    /// <summary><paramref name="value"/> cut to <paramref name="max"/> characters with a marker, or null.</summary>
    public static string? Clip(string? value, int max = DefaultMax) =>
        value is null || value.Length <= max ? value : string.Concat(value.AsSpan(0, max), "…[truncated]");

    /// <summary>
    /// A time as a sentence shows it: UTC, ISO 8601, to the second, with <c>Z</c> (<c>2026-12-01T10:15:00Z</c>), the
    /// way the result's own time fields read, whatever the server's time zone or culture.
    /// </summary>
    public static string Utc(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
