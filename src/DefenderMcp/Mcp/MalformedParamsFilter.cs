using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// Refuses a <c>tools/call</c> or <c>prompts/get</c> whose parameters have the wrong shape (no name, arguments that are
/// not an object, an argument named twice, text that is not valid Unicode) as invalid params, before the SDK reads
/// them: otherwise its deserializer throws, the caller gets an opaque internal error and the log a stack trace for a
/// mistake that is the caller's, not ours.
/// </summary>
public static class MalformedParamsFilter
{
    /// <summary>The incoming message filter; every other message passes untouched.</summary>
    public static McpMessageHandler Create(McpMessageHandler next) => async (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ToolsCall or RequestMethods.PromptsGet } request &&
            Problem(request.Params) is { } problem)
        {
            throw new McpProtocolException($"Invalid params for {request.Method}: {problem}.", McpErrorCode.InvalidParams);
        }

        await next(context, cancellationToken).ConfigureAwait(false);
    };

    private static string? Problem(JsonNode? parameters)
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
