using System.Text.Json.Nodes;

namespace DefenderMcp.Client;

/// <summary>Checks write arguments before anything is built, so a bad value is invalid_input and never reaches the service.</summary>
internal static class WriteValidation
{
    /// <summary>Most items one import or batch delete may carry (defender-api §3.9).</summary>
    public const int MaxBatch = 500;

    /// <summary>A required free-text field: non-blank, bounded, no control characters except line breaks and tabs.</summary>
    public static string Text(string? value, string name, int max = 4000)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max || value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            throw Invalid($"The {name} is required: 1 to {max} characters without control characters.");
        }

        return value;
    }

    /// <summary>An optional free-text field (null stays null).</summary>
    public static string? OptionalText(string? value, string name, int max = 4000) => value is null ? null : value.Length == 0 ? value : Text(value, name, max);

    /// <summary>One of <paramref name="allowed"/>, compared without case, returned in its documented casing (MDE bodies are case-sensitive).</summary>
    public static string OneOf(string? value, string name, params string[] allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
        ?? throw Invalid($"The {name} must be one of: {string.Join(", ", allowed)}.");

    /// <summary>An enum-like Graph value (letters and digits); null stays null.</summary>
    public static string? Token(string? value, string name) =>
        value is null || (value.Length is > 0 and <= 64 && value.All(char.IsAsciiLetterOrDigit))
            ? value
            : throw Invalid($"The {name} value is not valid.");

    /// <summary>A SHA-1 in hex.</summary>
    public static string Sha1(string? value) =>
        value is { Length: 40 } && value.All(char.IsAsciiHexDigit) ? value : throw Invalid("The SHA-1 must be 40 hexadecimal characters.");

    /// <summary>A batch of 1 to 500 items.</summary>
    public static IReadOnlyList<T> Batch<T>(IReadOnlyList<T>? items, string name) =>
        items is { Count: > 0 and <= MaxBatch } ? items : throw Invalid($"Give 1 to {MaxBatch} {name}.");

    /// <summary>A JSON array of strings.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    private static DefenderApiException Invalid(string message) => new(DefenderErrorCode.InvalidInput, message);
}
