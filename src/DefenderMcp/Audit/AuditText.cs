namespace DefenderMcp.Audit;

/// <summary>
/// Text that reaches an audit line from outside the operator's configuration (a token's name claims, a request path):
/// clipped, and with control and format characters (line breaks, bidi overrides) replaced, so that it can neither
/// bloat the line nor make a log viewer show it as something else.
/// </summary>
public static class AuditText
{
    /// <summary>The most characters such a value keeps.</summary>
    public const int MaxLength = 128;

    /// <summary>The cleaned value, or null when <paramref name="value"/> is null or blank.</summary>
    public static string? Clean(string? value, int maxLength = MaxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        var clipped = trimmed.Length > maxLength ? trimmed[..maxLength] : trimmed;

        return string.Create(clipped.Length, clipped, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    span[i] = c;
                    span[++i] = source[i];
                    continue;
                }

                // A lone surrogate is not text at all: the JSON writer would refuse the whole line.
                span[i] = char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format ? '?' : c;
            }
        });
    }
}
