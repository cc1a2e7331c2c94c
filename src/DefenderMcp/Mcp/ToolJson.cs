using System.Text.Encodings.Web;
using System.Text.Json;

namespace DefenderMcp.Mcp;

/// <summary>The one serializer configuration for tool results: snake_case names, compact; nulls are written so results match their output schemas.</summary>
public static class ToolJson
{
    /// <summary>Options for results and their output schemas.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        // Upstream strings are data: keep them escaped so nothing in them can break the JSON text.
        Encoder = JavaScriptEncoder.Default,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };
}
