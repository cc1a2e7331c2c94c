using System.Text.Json.Nodes;

namespace DefenderMcp.Mcp;

/// <summary>Builds the JSON Schemas of tool inputs by hand, so each bound and enum is exact.</summary>
public static class Schema
{
    /// <summary>An object schema with the given properties; unknown properties are not allowed.</summary>
    public static JsonObject Object(IEnumerable<string> required, params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }

        var result = new JsonObject { ["type"] = "object", ["properties"] = props, ["additionalProperties"] = false };
        var requiredArray = new JsonArray([.. required.Select(r => (JsonNode)JsonValue.Create(r))]);
        if (requiredArray.Count > 0)
        {
            result["required"] = requiredArray;
        }

        return result;
    }

    /// <summary>An object schema of <paramref name="parameters"/>, in order; the required ones are listed as such.</summary>
    public static JsonObject ObjectOf(IReadOnlyList<ToolParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Object([.. parameters.Where(p => p.IsRequired).Select(p => p.Name)], [.. parameters.Select(p => (p.Name, p.Schema()))]);
    }

    /// <summary>A string.</summary>
    public static JsonObject String(string description, int? maxLength = null, string? pattern = null, string? format = null)
    {
        var s = new JsonObject { ["type"] = "string", ["description"] = description };
        if (maxLength is { } max)
        {
            s["maxLength"] = max;
        }

        if (pattern is not null)
        {
            s["pattern"] = pattern;
        }

        if (format is not null)
        {
            s["format"] = format;
        }

        return s;
    }

    /// <summary>A string restricted to <paramref name="values"/>.</summary>
    public static JsonObject Enum(string description, params string[] values) =>
        new() { ["type"] = "string", ["description"] = description, ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]) };

    /// <summary>An integer within bounds.</summary>
    public static JsonObject Integer(string description, int minimum, int maximum, int? @default = null)
    {
        var s = new JsonObject { ["type"] = "integer", ["description"] = description, ["minimum"] = minimum, ["maximum"] = maximum };
        if (@default is { } d)
        {
            s["default"] = d;
        }

        return s;
    }

    /// <summary>A boolean.</summary>
    public static JsonObject Boolean(string description, bool @default = false) =>
        new() { ["type"] = "boolean", ["description"] = description, ["default"] = @default };

    /// <summary>An array of strings, each matching <paramref name="itemPattern"/> when given.</summary>
    public static JsonObject StringArray(string description, int maxItems, int maxLength, string? itemPattern = null)
    {
        var items = new JsonObject { ["type"] = "string", ["maxLength"] = maxLength };
        if (itemPattern is not null)
        {
            items["pattern"] = itemPattern;
        }

        return new JsonObject { ["type"] = "array", ["description"] = description, ["maxItems"] = maxItems, ["items"] = items };
    }

    /// <summary>The shared <c>tenant</c> parameter: a key, <c>"*"</c>, or a list of keys.</summary>
    public static JsonObject Tenant(bool allowFanOut) => allowFanOut
        ? new JsonObject
        {
            ["description"] = "Tenant key; omit for the default tenant. * or a list of keys reads several tenants (fan-out).",
            ["anyOf"] = new JsonArray(
                new JsonObject { ["type"] = "string", ["maxLength"] = 64 },
                new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["maxLength"] = 64 }, ["minItems"] = 1, ["maxItems"] = 500 }),
        }
        : String("Tenant key; omit for the default tenant. One tenant only.", 64);
}
