using System.Globalization;

namespace DefenderMcp.Client.Parsing;

/// <summary>Builds OData <c>$filter</c> expressions from validated values, quoting every literal.</summary>
public static class ODataFilter
{
    /// <summary><c>name eq 'value'</c>, with quotes doubled.</summary>
    public static string Eq(string name, string value) => $"{name} eq {Quote(value)}";

    /// <summary><c>name eq 'value'</c> for an enum-like value (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>); anything else is invalid_input.</summary>
    public static string EqToken(string name, string value)
    {
        if (value.Length is 0 or > 128 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, $"The {name} filter value is not valid.");
        }

        return Eq(name, value);
    }

    /// <summary>A free-text filter value: 1 to 256 characters without control characters; otherwise invalid_input.</summary>
    public static string Text(string value) =>
        value.Length is 0 or > 256 || value.Any(char.IsControl)
            ? throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The filter value is not valid.")
            : value;

    /// <summary>A quoted OData string literal.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>An OData datetime literal (UTC, ISO-8601).</summary>
    public static string DateTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The clauses joined with <c>and</c>, or null when there are none.</summary>
    public static string? And(IEnumerable<string?> clauses)
    {
        var list = clauses.Where(c => c is not null).ToList();
        return list.Count == 0 ? null : string.Join(" and ", list);
    }
}
