using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// Refuses a request whose parameters the SDK would fail to read (<c>tools/call</c> or <c>prompts/get</c> without a
/// name, arguments that are not an object, an argument named twice, text that is not valid Unicode;
/// <c>resources/read</c> without a uri; <c>completion/complete</c> without ref or argument; <c>logging/setLevel</c>
/// without a known level) as invalid params, before the SDK reads them: otherwise its deserializer throws, the caller gets an opaque internal error and the log a stack trace for a
/// mistake that is the caller's, not ours.
/// </summary>
public static class MalformedParamsFilter
{
    /// <summary>The incoming message filter; every other message passes untouched.</summary>
    public static McpMessageHandler Create(McpMessageHandler next) => async (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcRequest request && Problem(request.Method, request.Params) is { } problem)
        {
            throw new McpProtocolException($"Invalid params for {request.Method}: {problem}.", McpErrorCode.InvalidParams);
        }

        await next(context, cancellationToken).ConfigureAwait(false);
    };

    private static readonly string[] LogLevels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

    private static string? Problem(string method, JsonNode? parameters) => method switch
    {
        RequestMethods.ToolsCall or RequestMethods.PromptsGet => CallProblem(parameters),
        RequestMethods.ResourcesRead => StringMember(parameters, "uri"),
        RequestMethods.CompletionComplete => CompletionProblem(parameters),
        "logging/setLevel" => StringMember(parameters, "level") ??
            (LogLevels.Contains(parameters!["level"]!.GetValue<string>(), StringComparer.Ordinal) ? null : "'level' must be one of " + string.Join(", ", LogLevels)),
        _ => null,
    };

    private static string? StringMember(JsonNode? parameters, string name) =>
        parameters is JsonObject body && body.TryGetPropertyValue(name, out var value) && value?.GetValueKind() == JsonValueKind.String
            ? null
            : $"params must be an object with a string '{name}'";

    private static string? CompletionProblem(JsonNode? parameters)
    {
        if (parameters is not JsonObject body || !body.TryGetPropertyValue("ref", out var reference) || reference is not JsonObject referenceBody ||
            !referenceBody.TryGetPropertyValue("type", out var type) || type?.GetValueKind() != JsonValueKind.String)
        {
            return "params must be an object with 'ref' (an object with a string 'type') and 'argument'";
        }

        return body.TryGetPropertyValue("argument", out var argument) && argument is JsonObject argumentBody &&
            argumentBody.TryGetPropertyValue("name", out var name) && name?.GetValueKind() == JsonValueKind.String &&
            argumentBody.TryGetPropertyValue("value", out var value) && value?.GetValueKind() == JsonValueKind.String
            ? null
            : "'argument' must be an object with a string 'name' and a string 'value'";
    }

    private static string? CallProblem(JsonNode? parameters)
    {
        if (parameters is not JsonObject body)
        {
            return "params must be an object with a name";
        }

        if (!body.TryGetPropertyValue("name", out var name) || name?.GetValueKind() != JsonValueKind.String)
        {
            return "'name' must be a string";
        }

        return body.TryGetPropertyValue("arguments", out var arguments) && arguments is not null
            ? arguments is JsonObject given ? ArgumentsProblem(given) : "'arguments' must be an object"
            : null;
    }

    // The arguments as sent (a node read from the message writes its own text). A name given twice is ambiguous: one
    // reader takes the first, another the last, so neither is chosen. Text that is not valid Unicode (an unpaired
    // surrogate escape) cannot be read as a string: left to the SDK it is an internal error. Both are refused here.
    private static string? ArgumentsProblem(JsonObject arguments)
    {
        try
        {
            var text = arguments.ToJsonString();
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (text.Contains("\\u", StringComparison.Ordinal))
            {
                // Only escaped text can hold a lone surrogate; reading every string proves each one whole.
                ReadEveryString(document.RootElement);
            }

            return null;
        }
        catch (JsonException)
        {
            return "'arguments' names the same parameter twice (at any depth); give each once";
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return "'arguments' holds text that is not valid Unicode (an unpaired surrogate escape)";
        }
    }

    private static void ReadEveryString(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    ReadEveryString(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    ReadEveryString(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }
}
