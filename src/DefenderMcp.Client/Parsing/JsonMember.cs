using System.Globalization;
using System.Text.Json;

namespace DefenderMcp.Client.Parsing;

/// <summary>
/// Typed reads of one member of an upstream JSON object, shared by the readers: a missing member, a member of another
/// kind or a value out of range is null (or empty), never an exception, because upstream bodies are untrusted.
/// </summary>
internal static class JsonMember
{
    /// <summary>A whole number that fits in 64 bits, or null.</summary>
    public static long? Long(JsonElement e, string name) =>
        Member(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) ? n : null;

    /// <summary>A whole number that fits in 32 bits, or null.</summary>
    public static int? Int(JsonElement e, string name) =>
        Member(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var n) ? n : null;

    /// <summary>A finite number, or null.</summary>
    public static double? Double(JsonElement e, string name) =>
        Member(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    /// <summary>A boolean, or null.</summary>
    public static bool? Bool(JsonElement e, string name) =>
        Member(e, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } v ? v.GetBoolean() : null;

    /// <summary>A date and time (a string member; UTC when it names no offset), or null.</summary>
    public static DateTimeOffset? Date(JsonElement e, string name) =>
        ModelReader.Str(e, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;

    /// <summary>The string items of an array member, at most <paramref name="max"/> (none when missing).</summary>
    public static IReadOnlyList<string> Strings(JsonElement e, string name, int max = int.MaxValue) =>
        Member(e, name) is { ValueKind: JsonValueKind.Array } v
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).Take(max)]
            : [];

    private static JsonElement? Member(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;
}
