using System.Text.Json.Nodes;

namespace DefenderMcp.Client;

/// <summary>Checks write arguments before anything is built, so a bad value is invalid_input and never reaches the service.</summary>
internal static class WriteValidation
{
    /// <summary>A required free-text field: non-blank, bounded, no control characters except line breaks and tabs.</summary>
    public static string Text(string? value, string name, int max)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > max || value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            throw Invalid($"The {name} is required: 1 to {max} characters without control characters.");
        }

        return value;
    }

    /// <summary>An optional free-text field (null stays null; an empty string is sent as is, for fields whose documentation allows it).</summary>
    public static string? OptionalText(string? value, string name, int max) => value is null ? null : value.Length == 0 ? value : Text(value, name, max);

    /// <summary>One of <paramref name="allowed"/>, compared without case, returned in its documented casing (MDE bodies are case-sensitive).</summary>
    public static string OneOf(string? value, string name, IReadOnlyList<string> allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
        ?? throw Invalid($"The {name} must be one of: {string.Join(", ", allowed)}.");

    /// <summary>An optional <see cref="OneOf"/> (null stays null).</summary>
    public static string? OptionalOneOf(string? value, string name, IReadOnlyList<string> allowed) => value is null ? null : OneOf(value, name, allowed);

    /// <summary>A SHA-1 in hex, lower-cased.</summary>
    public static string Sha1(string? value) =>
        value is { Length: 40 } && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : throw Invalid("The SHA-1 must be 40 hexadecimal characters.");

    /// <summary>A batch of 1 to <see cref="IndicatorRules.MaxBatch"/> items.</summary>
    public static IReadOnlyList<T> Batch<T>(IReadOnlyList<T>? items, string name) =>
        items is { Count: > 0 and <= IndicatorRules.MaxBatch } ? items : throw Invalid($"Give 1 to {IndicatorRules.MaxBatch} {name}.");

    /// <summary>A JSON array of strings.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    /// <summary>An invalid_input failure with a message safe to show.</summary>
    public static DefenderApiException Invalid(string message) => new(DefenderErrorCode.InvalidInput, message);
}
