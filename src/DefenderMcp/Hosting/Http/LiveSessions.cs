using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// The MCP session ids this server holds now, so a <c>DELETE /mcp</c> is answered as the Streamable HTTP spec asks: 404
/// for a session it does not hold (never made, already closed, idle-expired, lost in a restart) and 400 without an
/// <c>Mcp-Session-Id</c>, with the same JSON-RPC error body and texts as any other session error. The SDK (2.4.0)
/// answers every DELETE with 200, which tells a client that a session it lost was still there. A DELETE of a live
/// session passes on to the SDK, which ends it only for the caller who opened it (403 for anyone else).
/// </summary>
public sealed class LiveSessions
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    /// <summary>True while the session <paramref name="sessionId"/> runs on this server.</summary>
    public bool Holds(string sessionId) => _ids.ContainsKey(sessionId);

    /// <summary>Stops holding <paramref name="sessionId"/> ahead of its run's end (a session that is being ended).</summary>
    public void Forget(string sessionId) => _ids.TryRemove(sessionId, out _);

    /// <summary>Wraps the SDK's session runner: the session's id is live from its start until it ends.</summary>
    public Func<HttpContext, McpServer, CancellationToken, Task> Tracking(Func<HttpContext, McpServer, CancellationToken, Task> run) =>
        async (context, server, cancellationToken) =>
        {
            var id = server.SessionId;
            if (id is not null)
            {
                _ids[id] = 0;
            }

            try
            {
                await run(context, server, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (id is not null)
                {
                    _ids.TryRemove(id, out _);
                }
            }
        };

    /// <summary>
    /// The middleware, on the MCP endpoint after authentication: answers a request that names a session not live here
    /// (404), and a DELETE that names none (400).
    /// </summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var id = context.Request.Headers["Mcp-Session-Id"].ToString();
        if (!HttpMethods.IsDelete(context.Request.Method))
        {
            if (!string.IsNullOrWhiteSpace(id) && !Holds(id))
            {
                // A session whose run has ended (its initialize refused, see FailedInitializeEnd) may still be in the
                // SDK's table: it would take the request and never answer.
                var requestId = HttpMethods.IsPost(context.Request.Method)
                    ? await JsonRpcRequestId.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false)
                    : null;
                await HttpErrors.WriteAsync(context, StatusCodes.Status404NotFound, -32001, SessionErrorText.UnknownSession, requestId).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, -32000, SessionErrorText.NoSessionToEnd).ConfigureAwait(false);
            return;
        }

        if (!Holds(id))
        {
            // -32001, the code the SDK gives an unknown session on POST and GET.
            await HttpErrors.WriteAsync(context, StatusCodes.Status404NotFound, -32001, SessionErrorText.UnknownSession).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
        if (context.Response.StatusCode is >= 200 and < 300)
        {
            // Ended: a DELETE that follows at once is a 404 even before the session's runner has returned.
            _ids.TryRemove(id, out _);
        }
    }
}
