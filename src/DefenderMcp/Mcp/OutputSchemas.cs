using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace DefenderMcp.Mcp;

/// <summary>
/// Builds a tool's output schema, exact enough that a validator can reject a wrong result: one of the tenant's result
/// (generated from its result type, every property it always has required), the fan-out envelope
/// <c>{fan_out, tenants, results}</c> whose entries hold a result or an error, or the error <c>{error: {code, message,
/// retry_after?}}</c>. Results are serialized with nulls written (<see cref="ToolJson"/>), so a nullable property is
/// still always present. Building one by reflection is slow at start, so the server serves the copies kept in
/// <see cref="PrecomputedOutputSchemas"/> and builds only what they lack.
/// </summary>
public static class OutputSchemas
{
    private const string Defs = "#/$defs/";

    /// <summary>
    /// The output schema for a tool whose single-tenant result is <paramref name="resultType"/>: the precomputed copy,
    /// else (a type the copies do not know yet; a test fails until they are regenerated) built by reflection.
    /// </summary>
    public static JsonElement For(Type resultType, bool fanOut) =>
        PrecomputedOutputSchemas.TryGet(resultType, fanOut, out var schema) ? schema : Build(resultType, fanOut);

    /// <summary>The output schema built from the result type by reflection: what the precomputed copies must equal.</summary>
    public static JsonElement Build(Type resultType, bool fanOut)
    {
        var definitions = new JsonObject();
        var result = ResultSchema(resultType, definitions);
        definitions["result"] = result;
        definitions["error"] = ErrorObject();
        var branches = new JsonArray { Ref("result") };
        if (fanOut)
        {
            definitions["fan_out"] = FanOutEnvelope();
            branches.Add(Ref("fan_out"));
        }

        definitions["error_result"] = Exact(new JsonObject { ["error"] = Ref("error") });
        branches.Add(Ref("error_result"));

        var schema = new JsonObject
        {
            ["type"] = "object",
            ["anyOf"] = branches,
            ["$defs"] = definitions,
        };
        return JsonSerializer.SerializeToElement(SchemaPortability.Apply(schema));
    }

    // A time is written by UtcTimeConverter, whose shape the exporter cannot see (it would allow any value): it is the
    // date-time string the built-in converter's schema says, as before the converter.
    private static readonly AIJsonSchemaCreateOptions TimesAsDateTime = new()
    {
        TransformSchemaNode = (context, node) =>
            context.TypeInfo.Type == typeof(DateTimeOffset) ? new JsonObject { ["type"] = "string", ["format"] = "date-time" }
            : context.TypeInfo.Type == typeof(DateTimeOffset?) ? new JsonObject { ["type"] = new JsonArray("string", "null"), ["format"] = "date-time" }
            : node,
    };

    // The generated schema of the result type becomes $defs.result. Its own definitions move up beside it, and any
    // reference into it (the exporter points at repeated types by JSON pointer) is rebased, so every $ref resolves.
    private static JsonObject ResultSchema(Type resultType, JsonObject definitions)
    {
        var generated = AIJsonUtilities.CreateJsonSchema(resultType, serializerOptions: ToolJson.Options, inferenceOptions: TimesAsDateTime);
        var node = JsonNode.Parse(generated.GetRawText())!.AsObject();
        node.Remove("$schema");
        if (node["$defs"] is JsonObject nested)
        {
            node.Remove("$defs");
            foreach (var (name, definition) in nested.ToList())
            {
                nested.Remove(name);
                definitions[name] = definition;
            }
        }

        RebaseReferences(node);
        CloseObjects(node);
        return node;
    }

    // Result types are records serialized whole, so an object the type describes has exactly its properties: any
    // other key in a result is drift between the code and its schema. Objects without declared properties (a raw
    // JsonObject such as a write's request body) stay open.
    private static void CloseObjects(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject && !obj.ContainsKey("additionalProperties"))
                {
                    obj["additionalProperties"] = false;
                }

                foreach (var (_, child) in obj)
                {
                    CloseObjects(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    CloseObjects(child);
                }

                break;
        }
    }

    private static void RebaseReferences(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var target) &&
                    (target == "#" || target.StartsWith("#/", StringComparison.Ordinal)) && !target.StartsWith(Defs, StringComparison.Ordinal))
                {
                    obj["$ref"] = Defs + "result" + target[1..];
                }

                foreach (var (_, child) in obj)
                {
                    RebaseReferences(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    RebaseReferences(child);
                }

                break;
        }
    }

    // No descriptions in the envelope and the error: they are the same in every tool and docs/tools.md explains them,
    // while every tools/list pays for each character in every tool.
    private static JsonObject FanOutEnvelope() => Exact(
        new JsonObject
        {
            ["fan_out"] = new JsonObject { ["const"] = true },
            ["tenants"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            ["results"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["tenant"] = new JsonObject { ["type"] = "string" },
                        ["result"] = Ref("result"),
                        ["error"] = Ref("error"),
                    },
                    ["required"] = new JsonArray("tenant"),
                    ["oneOf"] = new JsonArray(
                        new JsonObject { ["required"] = new JsonArray("result") },
                        new JsonObject { ["required"] = new JsonArray("error") }),
                    ["additionalProperties"] = false,
                },
            },
        });

    private static JsonObject ErrorObject()
    {
        var error = Exact(
            new JsonObject
            {
                ["code"] = new JsonObject { ["type"] = "string" },
                ["message"] = new JsonObject { ["type"] = "string" },
                ["retry_after"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
            });
        error["required"] = new JsonArray("code", "message");
        return error;
    }

    // An object with exactly these properties, all required unless the caller narrows "required" afterwards.
    private static JsonObject Exact(JsonObject properties) => new()
    {
        ["type"] = "object",
        ["properties"] = properties,
        ["required"] = new JsonArray([.. properties.Select(p => (JsonNode)JsonValue.Create(p.Key))]),
        ["additionalProperties"] = false,
    };

    private static JsonObject Ref(string name) => new() { ["$ref"] = Defs + name };
}
