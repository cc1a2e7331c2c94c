using System.Text.Json.Nodes;

namespace DefenderMcp.Mcp;

/// <summary>
/// Rewrites a generated schema into the spelling every client can map: a nullable <c>"type": ["string", "null"]</c>
/// becomes <c>anyOf</c> branches with one <c>type</c> each (clients that map tools onto a single-type dialect, such as
/// Gemini's function declarations, reject or weaken type arrays), and a schema that says nothing (<c>true</c> or
/// <c>{}</c>, free-form JSON) says what it is: an object, or an object or null. The accepted values do not change for
/// any result we return; OutputSchemaTests validates every tool's real output against the rewritten schema.
/// </summary>
public static class SchemaPortability
{
    private static readonly HashSet<string> SchemaMaps = new(StringComparer.Ordinal) { "properties", "$defs", "definitions", "patternProperties" };
    private static readonly HashSet<string> SchemaArrays = new(StringComparer.Ordinal) { "anyOf", "oneOf", "allOf", "prefixItems" };
    private static readonly HashSet<string> SchemaValues = new(StringComparer.Ordinal) { "items", "additionalProperties", "not", "contains", "if", "then", "else" };

    /// <summary>The portable form of <paramref name="schema"/> (a new tree; the input is not changed).</summary>
    public static JsonNode Apply(JsonNode schema) => Rewrite(schema.DeepClone(), underItems: false);

    private static JsonNode Rewrite(JsonNode schema, bool underItems)
    {
        if (schema is JsonValue value && value.TryGetValue<bool>(out var allows) && allows || schema is JsonObject { Count: 0 })
        {
            return FreeForm(underItems);
        }

        if (schema is not JsonObject node)
        {
            return schema;
        }

        foreach (var (key, child) in node.ToList())
        {
            switch (child)
            {
                case JsonObject map when SchemaMaps.Contains(key):
                    foreach (var (name, sub) in map.ToList())
                    {
                        if (sub is not null)
                        {
                            map[name] = Rewrite(sub.DeepClone(), underItems: false);
                        }
                    }

                    break;
                case JsonArray list when SchemaArrays.Contains(key):
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is { } sub)
                        {
                            list[i] = Rewrite(sub.DeepClone(), underItems: false);
                        }
                    }

                    break;
                case JsonObject when SchemaValues.Contains(key):
                case JsonValue when key == "items":
                    node[key] = Rewrite(child.DeepClone(), underItems: key == "items");
                    break;
            }
        }

        return node["type"] is JsonArray types ? SplitTypes(node, types) : node;
    }

    private static JsonObject SplitTypes(JsonObject node, JsonArray types)
    {
        var outer = new JsonObject();
        if (node["description"] is { } description)
        {
            outer["description"] = description.DeepClone();
        }

        var branches = new JsonArray();
        foreach (var type in types.Select(t => t?.GetValue<string>()).OfType<string>())
        {
            if (type == "null")
            {
                branches.Add(new JsonObject { ["type"] = "null" });
                continue;
            }

            var branch = node.DeepClone().AsObject();
            branch.Remove("description");
            branch["type"] = type;
            if (branch["enum"] is JsonArray values)
            {
                branch["enum"] = new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())]);
            }

            branches.Add(branch);
        }

        outer["anyOf"] = branches;
        return outer;
    }

    // Free-form JSON in our results is a row (an object keyed by column) or a request body (an object, or null).
    private static JsonObject FreeForm(bool underItems) => underItems
        ? new JsonObject { ["type"] = "object", ["additionalProperties"] = true }
        : new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "object", ["additionalProperties"] = true }, new JsonObject { ["type"] = "null" }) };
}
