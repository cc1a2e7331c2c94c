using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// One parameter as tools/list advertises it, read back from its inputSchema fragment: what it accepts (the schema
/// plus the server's documented leniency) and the hostile values to send it. Nothing here reads the server's own
/// validation code, so a parameter whose check drifts from its schema fails the test instead of agreeing with it.
/// </summary>
public sealed class HostileParameter
{
    /// <summary>A 100,000-character string; any 200-character run of it in an error means the value was echoed.</summary>
    public static readonly string Huge = string.Concat(Enumerable.Repeat("hostile-", 12_500));

    /// <summary>Every unknown tenant key sent contains this, so an error that names one is caught.</summary>
    public const string UnknownTenantMarker = "zzunknown";

    private readonly Regex? _pattern;

    private HostileParameter(string name, JsonElement schema, bool required, IReadOnlyList<string> tenantKeys)
    {
        Name = name;
        Required = required;
        TenantKeys = tenantKeys;
        if (name == "tenant")
        {
            Kind = "tenant";
            FanOut = schema.TryGetProperty("anyOf", out _);
            return;
        }

        Kind = schema.GetProperty("type").GetString()!;
        MaxLength = schema.TryGetProperty("maxLength", out var max) ? max.GetInt32() : int.MaxValue;
        MaxItems = schema.TryGetProperty("maxItems", out var items) ? items.GetInt32() : int.MaxValue;
        Minimum = schema.TryGetProperty("minimum", out var min) ? min.GetInt64() : long.MinValue;
        Maximum = schema.TryGetProperty("maximum", out var top) ? top.GetInt64() : long.MaxValue;
        Enum = schema.TryGetProperty("enum", out var values) ? [.. values.EnumerateArray().Select(v => v.GetString()!)] : null;
        DateTime = schema.TryGetProperty("format", out var format) && format.GetString() == "date-time";
        if (schema.TryGetProperty("pattern", out var pattern))
        {
            _pattern = new Regex(pattern.GetString()!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        if (Kind == "array" && schema.GetProperty("items") is var itemSchema)
        {
            Item = itemSchema.GetProperty("type").GetString() == "string" ? new HostileParameter(name + "[]", itemSchema, true, tenantKeys) : null;
            Kind = Item is null ? "object list" : "string list";
        }
    }

    /// <summary>The argument's name.</summary>
    public string Name { get; }

    /// <summary>string, integer, boolean, string list, object list or tenant.</summary>
    public string Kind { get; }

    /// <summary>Listed in the schema's required.</summary>
    public bool Required { get; }

    /// <summary>For tenant: whether the tool takes several tenants (its schema's anyOf).</summary>
    public bool FanOut { get; }

    private IReadOnlyList<string> TenantKeys { get; }

    private int MaxLength { get; } = int.MaxValue;

    private int MaxItems { get; } = int.MaxValue;

    private long Minimum { get; } = long.MinValue;

    private long Maximum { get; } = long.MaxValue;

    private IReadOnlyList<string>? Enum { get; }

    private bool DateTime { get; }

    private HostileParameter? Item { get; }

    /// <summary>Reads the parameter <paramref name="name"/> of a tool's inputSchema.</summary>
    public static HostileParameter From(string name, JsonElement inputSchema, IReadOnlyList<string> tenantKeys)
    {
        var required = inputSchema.TryGetProperty("required", out var list) && list.EnumerateArray().Any(r => r.GetString() == name);
        return new HostileParameter(name, inputSchema.GetProperty("properties").GetProperty(name), required, tenantKeys);
    }

    /// <summary>The bad and odd values to send this parameter, each marked whether the schema accepts it.</summary>
    public IEnumerable<HostileValue> Values()
    {
        foreach (var (label, json) in Common)
        {
            var element = Parse(json);
            yield return new HostileValue(label, element, Accepts(element) == false);
        }

        foreach (var (label, text) in Strings)
        {
            yield return Text(label, text);
        }

        yield return new HostileValue("10,000 items", Parse("[" + string.Join(",", Enumerable.Repeat("\"a\"", 10_000)) + "]"), true);
        if (Kind == "integer")
        {
            foreach (var edge in new[] { Minimum - 1, Maximum + 1 }.Where(e => e is > int.MinValue and < int.MaxValue))
            {
                var element = Parse(edge.ToString(CultureInfo.InvariantCulture));
                yield return new HostileValue($"{edge} (out of range)", element, Accepts(element) == false);
            }
        }

        if (Kind is "string list" or "tenant")
        {
            foreach (var (label, json) in Lists)
            {
                var element = Parse(json);
                yield return new HostileValue(label, element, Accepts(element) == false);
            }
        }

        if (Kind == "object list")
        {
            yield return new HostileValue("an empty list", Parse("[]"), true);
            yield return new HostileValue("a list of an empty object", Parse("[{}]"), true);
            yield return new HostileValue("a list of strings", Parse("[\"a\"]"), true);
            yield return new HostileValue("an item with a 100,000-character value", Parse($"[{{\"indicator_type\":\"DomainName\",\"value\":\"{Huge}\",\"action\":\"Block\",\"title\":\"t\",\"description\":\"d\"}}]"), true);
            yield return new HostileValue("an item with a NUL", Parse("[{\"indicator_type\":\"DomainName\",\"value\":\"a\\u0000b.example\",\"action\":\"Block\",\"title\":\"t\",\"description\":\"d\"}]"), true);
        }

        if (Kind == "tenant")
        {
            foreach (var (label, json) in UnknownTenants)
            {
                yield return new HostileValue(label, Parse(json), true);
            }

            yield return new HostileValue("a list with an unknown tenant", Parse($"[\"{TenantKeys[0]}\",\"{UnknownTenantMarker}-tenant\"]"), true);
            yield return new HostileValue("\"*\"", Parse("\"*\""), !FanOut);
            yield return new HostileValue("a list of 501 keys", Parse("[" + string.Join(",", Enumerable.Repeat($"\"{TenantKeys[0]}\"", 501)) + "]"), true);
            yield return new HostileValue("a list of the default key", Parse($"[\"{TenantKeys[0]}\"]"), false);
        }
    }

    /// <summary>
    /// Values the SDK's client refuses to write, as raw JSON: an unpaired surrogate escape (no valid Unicode text, so no
    /// string schema accepts it) and nesting past the 64 levels JSON-RPC messages are read to.
    /// </summary>
    public IEnumerable<(string Label, string Json)> RawValues()
    {
        yield return ("a lone high surrogate escape", "\"x\\ud800y\"");
        yield return ("a lone low surrogate escape", "\"\\udc00\"");
        yield return ("nesting 200 deep", new string('[', 200) + new string(']', 200));
        if (Kind == "string list")
        {
            yield return ("a list with a lone surrogate escape", "[\"\\ud800\"]");
        }
    }

    /// <summary>
    /// True when the schema (with the server's documented leniency) accepts <paramref name="value"/>, false when it does
    /// not, null when this model cannot tell (an item of a list of objects).
    /// </summary>
    public bool? Accepts(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            // Null is absent: the default applies.
            return !Required || Kind == "tenant";
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return AcceptsString(value.GetString()!);
        }

        return Kind switch
        {
            "tenant" => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() >= 1 && value.GetArrayLength() <= (FanOut ? 500 : 1) &&
                        value.EnumerateArray().All(k => k.ValueKind == JsonValueKind.String && KnownTenant(k.GetString()!)),
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= Minimum && n <= Maximum,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "string list" => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() >= 1 && value.GetArrayLength() <= MaxItems &&
                             value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String && Item!.AcceptsText(i.GetString()!)),
            "object list" => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() >= 1 && value.GetArrayLength() <= MaxItems &&
                             value.EnumerateArray().All(i => i.ValueKind == JsonValueKind.Object) ? null : false,
            // Clients that coerce key=value arguments send numeric ids as numbers: their text is the value.
            _ => value.ValueKind == JsonValueKind.Number && AcceptsText(value.GetRawText()),
        };
    }

    /// <summary>Whether the schema accepts <paramref name="text"/> sent as a JSON string.</summary>
    public bool AcceptsString(string text) => Kind switch
    {
        "tenant" => KnownTenant(text) || (FanOut && text.Trim() == "*"),
        // Some clients send every argument as a string.
        "integer" => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= Minimum && parsed <= Maximum,
        "boolean" => bool.TryParse(text, out _),
        // A single string is a list of one.
        "string list" => Item!.AcceptsText(text),
        "object list" => false,
        _ => AcceptsText(text),
    };

    private bool KnownTenant(string key) => TenantKeys.Contains(key.Trim());

    private bool AcceptsText(string raw)
    {
        var text = raw.Trim();
        if (text.Length == 0 || text.Length > MaxLength)
        {
            return false;
        }

        // Line breaks and tabs may be part of free text (a comment); other control characters never are.
        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return false;
        }

        if (Enum is not null)
        {
            return Enum.Contains(text, StringComparer.OrdinalIgnoreCase);
        }

        if (DateTime)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) && when.Year is >= 2000 and <= 2100;
        }

        return _pattern is null || _pattern.IsMatch(text);
    }

    private HostileValue Text(string label, string text)
    {
        var element = JsonSerializer.SerializeToElement(text);
        return new(label, element, Accepts(element) == false);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 512 });
        return document.RootElement.Clone();
    }

    // Values of the wrong JSON type and numbers at and past every bound.
    private static readonly (string Label, string Json)[] Common =
    [
        ("null", "null"),
        ("an object", "{\"a\":1}"),
        ("an array of numbers", "[1,2]"),
        ("true", "true"),
        ("a number", "12345"),
        ("-1", "-1"),
        ("0", "0"),
        ("1e308", "1e308"),
        ("2^63", "9223372036854775808"),
        ("2.5", "2.5"),
    ];

    // Strings: empty, huge, control characters, path and OData/URL injection, and numbers or booleans as text.
    private static readonly (string Label, string Text)[] Strings =
    [
        ("an empty string", string.Empty),
        ("a blank string", "   "),
        ("100,000 characters", Huge),
        ("a NUL", "ab\0cd"),
        ("an escape sequence", "\u001b[31mred\u001b[0m"),
        ("a control character", "a\u0001b"),
        ("../", "../../api/machines"),
        ("%2F", "..%2F..%2Fapi%2Fmachines"),
        ("an OData quote", "x' or 1 eq 1 or 'x"),
        ("?$filter=", "x?$filter=id eq 1"),
        ("#", "x#y"),
        ("&$top=", "x&$top=1"),
        ("dot segments", "a/../../b"),
        ("\"yes\"", "yes"),
        ("\"12abc\"", "12abc"),
        ("\"5\"", "5"),
    ];

    // Lists with one bad item.
    private static readonly (string Label, string Json)[] Lists =
    [
        ("an empty list", "[]"),
        ("a list with ../", "[\"../x\"]"),
        ("a list with a NUL", "[\"a\\u0000b\"]"),
        ("a list with 100,000 characters", $"[\"{Huge}\"]"),
        ("a list with a number", "[1]"),
        ("a list with null", "[null]"),
    ];

    private static readonly (string Label, string Json)[] UnknownTenants =
    [
        ("an unknown tenant", $"\"{UnknownTenantMarker}-tenant\""),
        ("an unknown tenant with a newline", $"\"{UnknownTenantMarker}\\ntenant\""),
        ("an unknown tenant of 10,000 characters", $"\"{UnknownTenantMarker}{new string('k', 10_000 - UnknownTenantMarker.Length)}\""),
    ];
}
