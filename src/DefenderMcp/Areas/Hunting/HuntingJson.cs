using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Hunting;

/// <summary>
/// Hunting results as JSON nodes, written the same as every other tool result (<see cref="ToolJson"/>) but cheaper:
/// the record is serialized without its rows, and each row goes in as a node over the element it already is, so the
/// rows (most of the bytes) are written once, when the result is, instead of being serialized, parsed back into nodes
/// and written again.
/// </summary>
public static class HuntingJson
{
    private static readonly HuntingJsonContext Context = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = ToolJson.Options.PropertyNamingPolicy,
        DictionaryKeyPolicy = ToolJson.Options.DictionaryKeyPolicy,
        DefaultIgnoreCondition = ToolJson.Options.DefaultIgnoreCondition,
        Encoder = ToolJson.Options.Encoder,
    });

    /// <summary>One tenant's hunting result as the tool returns it.</summary>
    public static JsonObject ToNode(HuntingQueryOutput output) =>
        WithRows(output with { Rows = [] }, Context.HuntingQueryOutput, output.Rows);

    /// <summary>A page of a cached result as the tool returns it.</summary>
    public static JsonObject ToNode(HuntingPageOutput output) =>
        WithRows(output with { Rows = [] }, Context.HuntingPageOutput, output.Rows);

    private static JsonObject WithRows<T>(T withoutRows, JsonTypeInfo<T> typeInfo, IReadOnlyList<JsonElement> rows)
    {
        var node = JsonSerializer.SerializeToNode(withoutRows, typeInfo)!.AsObject();
        var array = new JsonArray();
        foreach (var row in rows)
        {
            // A row is an object (the response reader keeps only objects); anything else takes the general path.
            array.Add(row.ValueKind == JsonValueKind.Object ? JsonObject.Create(row) : JsonSerializer.SerializeToNode(row, ToolJson.Options));
        }

        // Replacing the key keeps its place, so the properties stay in the record's order.
        node["rows"] = array;
        return node;
    }
}
