using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Ends the HTTP response of a request the client cancelled with <c>notifications/cancelled</c>. The SDK (2.4.0) holds
/// a POST's SSE stream open until the request's JSON-RPC response is sent, and a cancelled request gets none (as the
/// spec asks), so the stream stayed open and empty until the client gave up, holding a connection that counts toward
/// the server's cap. The middleware gives each in-session POST request a token of its own as
/// <see cref="HttpContext.RequestAborted"/>; the incoming filter cancels it when the request is cancelled, and the
/// response then ends without a JSON-RPC message.
/// </summary>
public sealed class CancelledRequestEnd
{
    private readonly ConcurrentDictionary<(string Session, string Request), CancellationTokenSource> _posts = new();

    /// <summary>The middleware, on the MCP endpoint after authentication, next to the SDK's endpoint.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var session = context.Request.Headers["Mcp-Session-Id"].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrWhiteSpace(session) ||
            await RequestIdAsync(context.Request, context.RequestAborted).ConfigureAwait(false) is not { } requestId)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var aborted = context.RequestAborted;
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var key = (session, requestId);
        if (!_posts.TryAdd(key, ending))
        {
            // The same id twice at once in one session: the SDK answers that; only the first can be ended here.
            await next(context).ConfigureAwait(false);
            return;
        }

        context.RequestAborted = ending.Token;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            // Cancelled by the client: no JSON-RPC answer, the response just ends.
        }
        finally
        {
            _posts.TryRemove(new KeyValuePair<(string, string), CancellationTokenSource>(key, ending));
            context.RequestAborted = aborted;
        }
    }

    /// <summary>Incoming filter: a <c>notifications/cancelled</c> ends the HTTP response of the request it names.</summary>
    public McpMessageHandler Incoming(McpMessageHandler next) => async (context, cancellationToken) =>
    {
        await next(context, cancellationToken).ConfigureAwait(false);
        if (context.JsonRpcMessage is JsonRpcNotification { Method: NotificationMethods.CancelledNotification, Params: JsonObject parameters } &&
            context.Server.SessionId is { } session &&
            Key(parameters["requestId"]) is { } requestId &&
            _posts.TryGetValue((session, requestId), out var ending))
        {
            try
            {
                await ending.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The request ended meanwhile.
            }
        }
    };

    private static string? Key(JsonNode? id) => id?.GetValueKind() switch
    {
        JsonValueKind.String => "s:" + id.GetValue<string>(),
        JsonValueKind.Number => "n:" + id.ToJsonString(),
        _ => null,
    };

    private static async Task<string?> RequestIdAsync(HttpRequest request, CancellationToken cancellationToken) =>
        Key(await JsonRpcRequestId.ReadAsync(request, cancellationToken).ConfigureAwait(false));
}
