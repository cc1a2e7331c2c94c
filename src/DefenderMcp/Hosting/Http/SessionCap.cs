using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Caps the MCP sessions one caller holds at once. A request that could open a session (a POST without
/// <c>Mcp-Session-Id</c>) reserves a slot first, so concurrent initializes cannot overshoot; the slot passes to the
/// session when the SDK starts it (<see cref="RunSessionAsync"/>) and is freed when the session ends (DELETE, idle
/// timeout, shutdown), or at once when no session was made.
/// </summary>
public sealed class SessionCap(int maxPerCaller)
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Sessions (and reservations) <paramref name="caller"/> holds now.</summary>
    public int OpenSessions(string caller)
    {
        lock (_gate)
        {
            return _open.GetValueOrDefault(caller);
        }
    }

    /// <summary>The middleware, after authentication.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!OpensSession(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var caller = CallerIdentity.From(context.User)?.Name ?? CallerIdentity.Anonymous.Name;
        if (!TryReserve(caller))
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, -32000,
                $"Too many open sessions for this caller (limit {maxPerCaller}); close one (DELETE /mcp) or wait for it to expire.").ConfigureAwait(false);
            return;
        }

        var reservation = new Reservation(this, caller);
        context.Items[typeof(Reservation)] = reservation;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            reservation.ReleaseUnlessClaimed();
        }
    }

    /// <summary>
    /// True when <paramref name="request"/> may open a session: a POST whose <c>Mcp-Session-Id</c> is absent or empty
    /// (the SDK starts a new session for an empty one too, so an empty header must not pass as a session's request).
    /// </summary>
    public static bool OpensSession(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method) && string.IsNullOrWhiteSpace(request.Headers["Mcp-Session-Id"].ToString());
    }

    /// <summary>The SDK's session runner: holds the caller's slot for the session's lifetime.</summary>
    public async Task RunSessionAsync(HttpContext context, McpServer server, CancellationToken cancellationToken)
    {
        var reservation = context.Items[typeof(Reservation)] as Reservation;
        reservation?.Claim();
        try
        {
            await server.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            reservation?.Release();
        }
    }

    private bool TryReserve(string caller)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(caller);
            if (open >= maxPerCaller)
            {
                return false;
            }

            _open[caller] = open + 1;
            return true;
        }
    }

    private void Release(string caller)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(caller) - 1;
            if (open <= 0)
            {
                _open.Remove(caller);
            }
            else
            {
                _open[caller] = open;
            }
        }
    }

    private sealed class Reservation(SessionCap owner, string caller)
    {
        private int _claimed;
        private int _released;

        public void Claim() => Interlocked.Exchange(ref _claimed, 1);

        public void ReleaseUnlessClaimed()
        {
            if (Volatile.Read(ref _claimed) == 0)
            {
                Release();
            }
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(caller);
            }
        }
    }
}
