using System.Globalization;

namespace DefenderMcp.Emulator.Hunting.Evaluation;

/// <summary>Value semantics shared by the evaluator: text forms, ordering, equality and conversions.</summary>
internal static class KqlValues
{
    /// <summary>The datetime format the API writes: ISO-8601 UTC with seven fractional digits.</summary>
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>True for the numeric KQL types.</summary>
    public static bool IsNumeric(string type) => type is "long" or "int" or "real";

    /// <summary>The text form of a cell (what <c>tostring()</c> returns); null stays null.</summary>
    public static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime dt => dt.ToString(DateTimeFormat, CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        TimeSpan ts => ts.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Orders two non-null cells of comparable types, or null when they cannot be compared.</summary>
    public static int? Compare(object a, object b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        (DateTime x, DateTime y) => x.CompareTo(y),
        (int x, int y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (TimeSpan x, TimeSpan y) => x.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        (long or int, long or int) => ToLong(a)!.Value.CompareTo(ToLong(b)!.Value),
        _ when ToDouble(a) is { } x && ToDouble(b) is { } y => x.CompareTo(y),
        _ => null,
    };

    /// <summary>Sort order: nulls before every value, then <see cref="Compare"/>; incomparable values tie.</summary>
    public static int CompareForSort(object? a, object? b) =>
        a is null ? (b is null ? 0 : -1) : b is null ? 1 : Compare(a, b) ?? 0;

    /// <summary>Equality of two non-string cells; a null on either side is never equal.</summary>
    public static bool ValueEquals(object? a, object? b) => a is not null && b is not null && (a.Equals(b) || Compare(a, b) == 0);

    /// <summary>Converts a numeric cell to the runtime type of <paramref name="type"/> (int → long, long → real), so cells match their column.</summary>
    public static object? Coerce(object? value, string type) => (value, type) switch
    {
        (int i, "long") => (long)i,
        (int i, "real") => (double)i,
        (long l, "real") => (double)l,
        _ => value,
    };

    /// <summary>The wider of two numeric types (int &lt; long &lt; real); otherwise <paramref name="a"/>.</summary>
    public static string Wider(string a, string b) =>
        IsNumeric(a) && IsNumeric(b) ? (a == "real" || b == "real" ? "real" : a == "long" || b == "long" ? "long" : "int") : a;

    /// <summary>A number as double, or null for other values.</summary>
    public static double? ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        _ => null,
    };

    /// <summary>A number as long, or null for other values.</summary>
    public static long? ToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        _ => null,
    };

    /// <summary>What <c>tolong()</c> makes of a value; null when it does not convert.</summary>
    public static long? ConvertToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        double d when double.IsFinite(d) && Math.Abs(d) < 9.2e18 => (long)d,
        bool b => b ? 1 : 0,
        DateTime dt => dt.Ticks,
        TimeSpan ts => ts.Ticks,
        string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && Math.Abs(d) < 9.2e18 => (long)d,
        _ => null,
    };

    /// <summary>What <c>toint()</c> makes of a value; null when it does not convert or does not fit.</summary>
    public static int? ConvertToInt(object? value) =>
        ConvertToLong(value) is { } l && l is >= int.MinValue and <= int.MaxValue ? (int)l : null;

    /// <summary>What <c>toreal()</c> makes of a value; null when it does not convert.</summary>
    public static double? ConvertToReal(object? value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>What <c>tobool()</c> makes of a value; null when it does not convert.</summary>
    public static bool? ConvertToBool(object? value) => value switch
    {
        bool b => b,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        string s when s.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        string s when s.Trim().Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l != 0,
        _ => null,
    };

    /// <summary>What <c>todatetime()</c> makes of a value; null when it does not convert.</summary>
    public static DateTime? ConvertToDateTime(object? value) => value switch
    {
        DateTime dt => dt,
        string s => ParseDateTime(s),
        _ => null,
    };

    /// <summary>Parses a KQL datetime text (ISO-8601 and friends) as UTC; null when it is not a date.</summary>
    public static DateTime? ParseDateTime(string text) =>
        DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt)
            ? DateTime.SpecifyKind(dt, DateTimeKind.Utc)
            : null;

    /// <summary>Parses a KQL timespan: <c>7d</c>, <c>2h</c>, <c>30min</c>, <c>100ms</c>, <c>1.5h</c> or <c>d.hh:mm:ss</c>.</summary>
    public static TimeSpan? ParseTimespan(string text)
    {
        text = text.Trim();
        var i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        if (i == 0 || i == text.Length || !double.TryParse(text.AsSpan(0, i), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        }

        return text[i..] switch
        {
            "d" or "day" or "days" => TimeSpan.FromDays(n),
            "h" or "hr" or "hrs" or "hour" or "hours" => TimeSpan.FromHours(n),
            "m" or "min" or "minute" or "minutes" => TimeSpan.FromMinutes(n),
            "s" or "sec" or "second" or "seconds" => TimeSpan.FromSeconds(n),
            "ms" or "milli" or "millis" or "millisecond" or "milliseconds" => TimeSpan.FromMilliseconds(n),
            "microsecond" or "microseconds" or "micro" or "micros" => TimeSpan.FromMicroseconds(n),
            "tick" or "ticks" => TimeSpan.FromTicks((long)n),
            _ => null,
        };
    }
}
