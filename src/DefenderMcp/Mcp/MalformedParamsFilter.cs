using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// Refuses a <c>tools/call</c> or <c>prompts/get</c> whose parameters have the wrong shape (no name, arguments that are
/// not an object) as invalid params, before the SDK reads them: otherwise its deserializer throws, the caller gets an
/// opaque internal error and the log a stack trace for a mistake that is the caller's, not ours.
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

        return body.TryGetPropertyValue("arguments", out var arguments) && arguments is not null and not JsonObject
            ? "'arguments' must be an object"
            : null;
    }
}
