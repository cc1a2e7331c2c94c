using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DefenderMcp.Emulator.Api;

/// <summary>
/// The OData <c>$filter</c> subset the documented APIs accept: <c>prop eq|ne|gt|ge|lt|le literal</c> joined by
/// <c>and</c>, <c>startswith(prop,'x')</c> and <c>prop/any(t: t eq 'x')</c>, on an allow-list of properties.
/// </summary>
public static partial class ODataFilter
{
    [GeneratedRegex(@"^\s*(?:(?<prop>[A-Za-z]+)\s+(?<op>eq|ne|gt|ge|lt|le)\s+(?<lit>'(?:[^']|'')*'|[0-9TZ:.\-+]+|true|false|null)|startswith\(\s*(?<sprop>[A-Za-z]+)\s*,\s*(?<slit>'(?:[^']|'')*')\s*\)|(?<aprop>[A-Za-z]+)/any\(\s*(?<var>[a-z]+)\s*:\s*\k<var>\s+eq\s+(?<alit>'(?:[^']|'')*')\s*\))\s*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Clause();


    /// <summary>A predicate for <paramref name="filter"/>; null with <paramref name="error"/> set when it is unsupported.</summary>
    public static Func<JsonObject, bool>? Parse(string? filter, IReadOnlySet<string> properties, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(filter))
        {
            return _ => true;
        }

        var predicates = new List<Func<JsonObject, bool>>();
        foreach (var part in SplitAnd(filter))
        {
            var m = Clause().Match(part);
            if (!m.Success)
            {
                error = $"Invalid filter clause: the expression '{Clip(part)}' is not supported.";
                return null;
            }

            if (m.Groups["prop"].Success)
            {
                var prop = m.Groups["prop"].Value;
                if (!properties.Contains(prop))
                {
                    error = $"Invalid filter clause: filtering on property '{Clip(prop)}' is not supported.";
                    return null;
                }

                var op = m.Groups["op"].Value;
                var literal = Literal(m.Groups["lit"].Value);
                predicates.Add(o => Compare(o[prop], literal, op));
            }
            else if (m.Groups["sprop"].Success)
            {
                var prop = m.Groups["sprop"].Value;
                var prefix = Literal(m.Groups["slit"].Value) as string ?? string.Empty;
                if (!properties.Contains(prop))
                {
                    error = $"Invalid filter clause: filtering on property '{Clip(prop)}' is not supported.";
                    return null;
                }

                predicates.Add(o => JsonBody.Text(o[prop]) is { } s && s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
            }
            else
            {
                var prop = m.Groups["aprop"].Value;
                var value = Literal(m.Groups["alit"].Value) as string;
                if (!properties.Contains(prop))
                {
                    error = $"Invalid filter clause: filtering on property '{Clip(prop)}' is not supported.";
                    return null;
                }

                predicates.Add(o => o[prop] is JsonArray arr && arr.Any(x => string.Equals(JsonBody.Text(x), value, StringComparison.OrdinalIgnoreCase)));
            }
        }

        return o => predicates.All(p => p(o));
    }

    // Splits on " and " outside quoted literals ('' is an escaped quote inside one).
    private static List<string> SplitAnd(string filter)
    {
        var parts = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < filter.Length; i++)
        {
            if (filter[i] == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && char.IsWhiteSpace(filter[i]) && i + 4 < filter.Length &&
                     string.CompareOrdinal(filter, i + 1, "and", 0, 3) == 0 && char.IsWhiteSpace(filter[i + 4]))
            {
                parts.Add(filter[start..i]);
                start = i + 5;
                i += 4;
            }
        }

        parts.Add(filter[start..]);
        return parts;
    }

    private static object? Literal(string text) =>
        text.StartsWith('\'') ? text[1..^1].Replace("''", "'", StringComparison.Ordinal)
        : text == "null" ? null
        : text is "true" or "false" ? text == "true"
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) && text.Contains('-', StringComparison.Ordinal) ? d
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : text;

    private static bool Compare(JsonNode? node, object? literal, string op)
    {
        int? c = (node, literal) switch
        {
            (null, null) => 0,
            (null, _) or (_, null) => null,
            (JsonValue v, DateTimeOffset d) when v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var x) => x.CompareTo(d),
            (JsonValue v, string s) when v.TryGetValue<string>(out var x) => string.Compare(x, s, StringComparison.OrdinalIgnoreCase),
            (JsonValue v, double n) when v.GetValueKind() == JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture).CompareTo(n),
            (JsonValue v, bool b) when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>().CompareTo(b),
            _ => null,
        };
        return op switch
        {
            "eq" => c == 0,
            "ne" => c != 0,
            "gt" => c > 0,
            "ge" => c >= 0,
            "lt" => c < 0,
            _ => c <= 0,
        };
    }

    private static string Clip(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
