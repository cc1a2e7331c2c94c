using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Ends a session whose <c>initialize</c> was refused (a protocol version the handshake does not offer): the SDK
/// (2.4.0) makes the session, and sends its id, before it reads the request, and kept it open after the error, so
/// the caller held a session that counted against its cap and served tools without ever being initialized. Once the
/// error is sent the session's run stops, which frees its slot and its id (<see cref="LiveSessions"/> then answers
/// any request naming it as an unknown session).
/// </summary>
public sealed class FailedInitializeEnd(LiveSessions live)
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Wraps the SDK's session runner: the run stops when the session's initialize is refused.</summary>
    public Func<HttpContext, McpServer, CancellationToken, Task> Ending(Func<HttpContext, McpServer, CancellationToken, Task> run) =>
        async (context, server, cancellationToken) =>
        {
            var id = server.SessionId;
            if (id is null)
            {
                await run(context, server, cancellationToken).ConfigureAwait(false);
                return;
            }

            using var ending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _sessions[id] = new Session(ending);
            try
            {
                await run(context, server, ending.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ending.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Ended here, after its initialize failed.
            }
            finally
            {
                _sessions.TryRemove(id, out _);
            }
        };

    /// <summary>Incoming filter: notes the id of each session's initialize request.</summary>
    public McpMessageHandler Incoming(McpMessageHandler next) => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.Initialize } request &&
            context.Server.SessionId is { } id && _sessions.TryGetValue(id, out var session))
        {
            session.InitializeId = request.Id;
        }

        return next(context, cancellationToken);
    };

    /// <summary>Outgoing filter: after an error answers the session's initialize, ends the session.</summary>
    public McpMessageHandler Outgoing(McpMessageHandler next) => async (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is not JsonRpcError error ||
            context.Server.SessionId is not { } id || !_sessions.TryGetValue(id, out var session) ||
            session.InitializeId is not { } initializeId || !initializeId.Equals(error.Id))
        {
            await next(context, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Gone before the caller can read the error, so a request that follows at once is refused, not taken by a
        // session that is stopping.
        live.Forget(id);
        await next(context, cancellationToken).ConfigureAwait(false);
        try
        {
            await session.Ending.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The session ended on its own meanwhile.
        }
    };

    private sealed class Session(CancellationTokenSource ending)
    {
        public CancellationTokenSource Ending { get; } = ending;

        public RequestId? InitializeId { get; set; }
    }
}
