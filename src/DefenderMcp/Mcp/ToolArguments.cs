using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DefenderMcp.Mcp;

/// <summary>
/// Typed, validated access to a tool call's arguments. Every getter throws an <c>invalid_input</c>
/// <see cref="ToolException"/> with a clear message; every accepted value is recorded for the audit line.
/// </summary>
public sealed class ToolArguments
{
    private readonly IReadOnlyDictionary<string, JsonElement> _values;

    /// <summary>Wraps the raw arguments, refusing any name not in <paramref name="allowed"/>.</summary>
    public ToolArguments(IDictionary<string, JsonElement>? values, IReadOnlyCollection<string> allowed)
    {
        _values = values is null
            ? new Dictionary<string, JsonElement>()
            : new Dictionary<string, JsonElement>(values, StringComparer.Ordinal);
        foreach (var name in _values.Keys)
        {
            if (!allowed.Contains(name))
            {
                throw ToolException.InvalidInput(
                    $"Unknown parameter '{Truncate(name, 40)}'. Allowed parameters: {string.Join(", ", allowed)}.");
            }
        }
    }

    /// <summary>The validated parameters, for the audit trail.</summary>
    public JsonObject Validated { get; } = [];

    /// <summary>True when the argument is present and not null.</summary>
    public bool Has(string name) => _values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>The raw element, when present and not null.</summary>
    public JsonElement? Raw(string name) => Has(name) ? _values[name] : null;

    /// <summary>A string, trimmed; null when absent. Control characters are refused.</summary>
    public string? OptionalString(string name, int maxLength, Regex? pattern = null, bool audit = true) =>
        OptionalString(name, maxLength, pattern, audit, null);

    private string? OptionalString(string name, int maxLength, Regex? pattern, bool audit, string? expected)
    {
        if (!Has(name))
        {
            return null;
        }

        var element = _values[name];
        // Clients that coerce key=value arguments send numeric ids as numbers; accept them as their text.
        var value = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString()!.Trim(),
            JsonValueKind.Number => element.GetRawText(),
            _ => throw ToolException.InvalidInput($"'{name}' must be a string."),
        };
        if (value.Length == 0)
        {
            throw ToolException.InvalidInput($"'{name}' must not be empty.");
        }

        if (value.Length > maxLength)
        {
            throw ToolException.InvalidInput($"'{name}' is too long ({value.Length} characters; at most {maxLength}).");
        }

        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw ToolException.InvalidInput($"'{name}' contains control characters.");
        }

        if (pattern is not null && !pattern.IsMatch(value))
        {
            throw ToolException.InvalidInput(expected is null ? $"'{name}' has an invalid format." : $"'{name}' has an invalid format. Expected: {expected}");
        }

        if (audit)
        {
            Validated[name] = value;
        }

        return value;
    }

    /// <summary>A required string.</summary>
    public string RequiredString(string name, int maxLength, Regex? pattern = null) =>
        OptionalString(name, maxLength, pattern) ?? throw ToolException.InvalidInput($"'{name}' is required.");

    /// <summary>A string that must be one of <paramref name="allowed"/> (case-insensitive); returns the canonical spelling.</summary>
    public string? OptionalEnum(string name, IReadOnlyList<string> allowed)
    {
        var value = OptionalString(name, 64, audit: false);
        if (value is null)
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw ToolException.InvalidInput($"'{name}' must be one of: {string.Join(", ", allowed)}.");
        Validated[name] = match;
        return match;
    }

    /// <summary>An integer within bounds; <paramref name="default"/> when absent.</summary>
    public int Integer(string name, int minimum, int maximum, int @default)
    {
        if (!Has(name))
        {
            return @default;
        }

        var element = _values[name];
        int value;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var n))
        {
            value = n;
        }
        else if (element.ValueKind == JsonValueKind.String &&
                 int.TryParse(element.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            // Some clients send every argument as a string.
            value = parsed;
        }
        else
        {
            throw ToolException.InvalidInput($"'{name}' must be an integer from {minimum} to {maximum}.");
        }

        if (value < minimum || value > maximum)
        {
            throw ToolException.InvalidInput($"'{name}' must be an integer from {minimum} to {maximum}.");
        }

        Validated[name] = value;
        return value;
    }

    /// <summary>A boolean; <paramref name="default"/> when absent.</summary>
    public bool Boolean(string name, bool @default)
    {
        if (!Has(name))
        {
            return @default;
        }

        var element = _values[name];
        bool value = element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(element.GetString(), out var b) => b,
            _ => throw ToolException.InvalidInput($"'{name}' must be true or false."),
        };
        Validated[name] = value;
        return value;
    }

    /// <summary>
    /// An ISO-8601 date-time (UTC assumed when no offset is given; a bare yyyy-MM-dd date is midnight UTC); null when
    /// absent. Only the ISO form is read: culture-dependent text such as 03/12/2026 is ambiguous and is refused.
    /// </summary>
    public DateTimeOffset? OptionalDateTime(string name)
    {
        var text = OptionalString(name, 40, audit: false);
        if (text is null)
        {
            return null;
        }

        if (!IsoDateTime.Parse(text, out var value))
        {
            throw ToolException.InvalidInput($"'{name}' must be an ISO-8601 date-time such as 2026-01-31T00:00:00Z (or a date such as 2026-01-31, read as midnight UTC).");
        }

        if (value.Year < IsoDateTime.MinimumYear || value.Year > IsoDateTime.MaximumYear)
        {
            throw ToolException.InvalidInput($"'{name}' must fall in the years {IsoDateTime.MinimumYear} to {IsoDateTime.MaximumYear} (UTC).");
        }

        Validated[name] = value.ToString("o", CultureInfo.InvariantCulture);
        return value;
    }

    /// <summary>A list of strings (a single string is accepted as a list of one); null when absent.</summary>
    public IReadOnlyList<string>? OptionalStringList(string name, int maxItems, int maxLength, Regex? pattern = null)
    {
        if (!Has(name))
        {
            return null;
        }

        var element = _values[name];
        var items = element.ValueKind switch
        {
            JsonValueKind.String => [element],
            JsonValueKind.Array => element.EnumerateArray().ToList(),
            _ => throw ToolException.InvalidInput($"'{name}' must be a list of strings."),
        };
        if (items.Count == 0 || items.Count > maxItems)
        {
            throw ToolException.InvalidInput($"'{name}' must hold 1 to {maxItems} items.");
        }

        var result = new List<string>(items.Count);
        foreach (var item in items)
        {
            var value = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : null;
            if (string.IsNullOrEmpty(value) || value.Length > maxLength || value.Any(char.IsControl) ||
                (pattern is not null && !pattern.IsMatch(value)))
            {
                throw ToolException.InvalidInput($"'{name}' items must be non-empty strings of at most {maxLength} characters in the expected format.");
            }

            result.Add(value);
        }

        Validated[name] = new JsonArray([.. result.Select(r => (JsonNode)JsonValue.Create(r))]);
        return result;
    }

    /// <summary>The string <paramref name="parameter"/> declares; null when absent.</summary>
    public string? OptionalString(ToolParameter parameter) =>
        OptionalString(Expect(parameter, ToolParameterKind.String).Name, parameter.MaxLength, parameter.Regex, parameter.Audited, parameter.Description);

    /// <summary>The string a required <paramref name="parameter"/> declares.</summary>
    public string RequiredString(ToolParameter parameter) =>
        OptionalString(ExpectRequired(parameter)) ?? throw ToolException.InvalidInput($"'{parameter.Name}' is required.");

    /// <summary>One of the values <paramref name="parameter"/> lists, in its listed spelling; null when absent.</summary>
    public string? OptionalEnum(ToolParameter parameter) =>
        OptionalEnum(Expect(parameter, ToolParameterKind.Enum).Name, parameter.Values);

    /// <summary>One of the values a required <paramref name="parameter"/> lists, in its listed spelling.</summary>
    public string RequiredEnum(ToolParameter parameter) =>
        OptionalEnum(ExpectRequired(parameter)) ?? throw ToolException.InvalidInput($"'{parameter.Name}' is required.");

    /// <summary>The integer <paramref name="parameter"/> declares, or its default when absent.</summary>
    public int Integer(ToolParameter parameter) =>
        Integer(
            Expect(parameter, ToolParameterKind.Integer).Name,
            parameter.Minimum,
            parameter.Maximum,
            parameter.IntegerDefault ?? throw new InvalidOperationException($"'{parameter.Name}' has no default; read it with OptionalInteger."));

    /// <summary>The integer a required <paramref name="parameter"/> declares.</summary>
    public int RequiredInteger(ToolParameter parameter) =>
        OptionalInteger(ExpectRequired(parameter)) ?? throw ToolException.InvalidInput($"'{parameter.Name}' is required.");

    /// <summary>The integer <paramref name="parameter"/> declares; null when absent.</summary>
    public int? OptionalInteger(ToolParameter parameter) =>
        Has(Expect(parameter, ToolParameterKind.Integer).Name) ? Integer(parameter.Name, parameter.Minimum, parameter.Maximum, 0) : parameter.IntegerDefault;

    /// <summary>The boolean <paramref name="parameter"/> declares, or its default when absent.</summary>
    public bool Boolean(ToolParameter parameter) =>
        Boolean(Expect(parameter, ToolParameterKind.Boolean).Name, parameter.BooleanDefault);

    /// <summary>The date-time <paramref name="parameter"/> declares; null when absent.</summary>
    public DateTimeOffset? OptionalDateTime(ToolParameter parameter) =>
        OptionalDateTime(Expect(parameter, ToolParameterKind.DateTime).Name);

    /// <summary>The list of strings <paramref name="parameter"/> declares; null when absent.</summary>
    public IReadOnlyList<string>? OptionalStringList(ToolParameter parameter) =>
        OptionalStringList(Expect(parameter, ToolParameterKind.StringList).Name, parameter.MaxItems, parameter.MaxLength, parameter.Regex);

    /// <summary>The list of strings a required <paramref name="parameter"/> declares.</summary>
    public IReadOnlyList<string> RequiredStringList(ToolParameter parameter) =>
        OptionalStringList(ExpectRequired(parameter)) ?? throw ToolException.InvalidInput($"'{parameter.Name}' is required.");

    // A parameter read as another kind than it is declared, or read as required when its schema says optional, is a
    // programming error: the schema and the validation would disagree.
    private static ToolParameter Expect(ToolParameter parameter, ToolParameterKind kind)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Kind == kind ? parameter : throw new InvalidOperationException($"'{parameter.Name}' is declared as {parameter.Kind}, not {kind}.");
    }

    private static ToolParameter ExpectRequired(ToolParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.IsRequired ? parameter : throw new InvalidOperationException($"'{parameter.Name}' is read as required but its schema says optional.");
    }

    private static string Truncate(string value, int max)
    {
        var clean = new string([.. value.Where(c => !char.IsControl(c))]);
        return clean.Length <= max ? clean : clean[..max] + "…";
    }
}
