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
        // Quotes, backslashes and control characters are always escaped, so nothing in an upstream string can break the
        // JSON; '&', '+', '\'' and non-ASCII letters stay readable (a model reads "AT&T", not "AT\u0026T"). The text is
        // never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        Converters = { new UtcTimeConverter() },
    };
}
