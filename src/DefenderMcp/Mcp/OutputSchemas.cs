using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace DefenderMcp.Mcp;

/// <summary>
/// Builds a tool's output schema: the properties of its per-tenant result type, plus the fan-out envelope and the
/// error object, with nothing required, so every shape a tool returns validates against it.
/// </summary>
public static class OutputSchemas
{
    /// <summary>The output schema for a tool whose single-tenant result is <paramref name="resultType"/>.</summary>
    public static JsonElement For(Type resultType, bool fanOut)
    {
        var generated = AIJsonUtilities.CreateJsonSchema(resultType, serializerOptions: ToolJson.Options);
        var node = JsonNode.Parse(generated.GetRawText())!.AsObject();
        var properties = node["properties"]?.AsObject() ?? [];
        if (fanOut)
        {
            properties["fan_out"] = new JsonObject { ["type"] = "boolean", ["description"] = "True for a multi-tenant result." };
            properties["tenants"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } };
            properties["results"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "One entry per tenant: {tenant, result} or {tenant, error}.",
                ["items"] = new JsonObject { ["type"] = "object" },
            };
        }

        properties["error"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["code"] = new JsonObject { ["type"] = "string" },
                ["message"] = new JsonObject { ["type"] = "string" },
                ["retry_after"] = new JsonObject { ["type"] = "integer" },
            },
        };
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties.DeepClone() };
        if (node["$defs"] is { } defs)
        {
            schema["$defs"] = defs.DeepClone();
        }

        return JsonSerializer.SerializeToElement(schema);
    }
}
