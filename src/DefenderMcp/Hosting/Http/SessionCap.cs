using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Caps the MCP sessions one caller holds at once. A request that could open a session (a POST without
/// <c>Mcp-Session-Id</c>) reserves a slot first, so concurrent initializes cannot overshoot; the slot passes to the
/// session when the SDK starts it (<see cref="RunSessionAsync"/>) and is freed when the session ends (DELETE, idle
/// timeout, shutdown), or at once when no session was made. It also follows when each session last served a request,
/// so the 429 at the cap says (in <c>Retry-After</c>) when the caller's next idle session expires: clients that exit
/// without a DELETE (the inspector CLI, the TypeScript SDK's <c>close()</c>) leave their sessions open, and the cap's
/// only other advice, to DELETE one, needs an id such a caller never kept. At the cap, a sessionless request that is
/// not an initialize passes on without a slot, so the caller hears the SDK's 400 (initialize first), not a 429.
/// </summary>
public sealed class SessionCap(int maxPerCaller, TimeSpan idleTimeout, TimeProvider time)
{
    // The SDK looks for idle sessions every 5 s, so one expires up to that long after its idle timeout.
    private static readonly TimeSpan IdleSweep = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionActivity> _sessions = new(StringComparer.Ordinal);
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
            var sessionId = context.Request.Headers["Mcp-Session-Id"].ToString();
            var requester = CallerIdentity.From(context.User)?.Name ?? CallerIdentity.Anonymous.Name;
            Touch(sessionId, requester, +1);
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                Touch(sessionId, requester, -1);
            }

            return;
        }

        var caller = CallerIdentity.From(context.User)?.Name ?? CallerIdentity.Anonymous.Name;
        if (!TryReserve(caller))
        {
            if (!await InitializeProbe.MayOpenSessionAsync(context.Request, context.RequestAborted).ConfigureAwait(false))
            {
                // Not an initialize: the SDK refuses it (400, initialize first) and opens nothing, so no slot is needed.
                await next(context).ConfigureAwait(false);
                return;
            }

            var retryAfter = NextExpiry(caller);
            if (retryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await HttpErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, -32000,
                $"Too many open sessions for this caller (limit {maxPerCaller}); close one (DELETE /mcp) or wait for one to expire" +
                (retryAfter is { } wait ? $": the next idle one expires in about {wait} s (Retry-After)." : ": none is idle now.") +
                " A client that exits without DELETE leaves its session open until it idles out.").ConfigureAwait(false);
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
        var id = server.SessionId;
        if (reservation is not null && id is not null)
        {
            lock (_gate)
            {
                _sessions[id] = new SessionActivity(reservation.Caller) { LastSeen = time.GetUtcNow() };
            }
        }

        try
        {
            await server.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (id is not null)
            {
                lock (_gate)
                {
                    _sessions.Remove(id);
                }
            }

            reservation?.Release();
        }
    }

    /// <summary>
    /// Whole seconds until the first of <paramref name="caller"/>'s sessions that serves no request now idles out;
    /// null when every one is busy (an open GET stream keeps a session from expiring).
    /// </summary>
    public int? NextExpiry(string caller)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var idle = _sessions.Values.Where(s => s.Caller == caller && s.InFlight == 0).Select(s => s.LastSeen).ToList();
            return idle.Count == 0 ? null : Math.Max(1, (int)Math.Ceiling((idle.Min() + idleTimeout + IdleSweep - now).TotalSeconds));
        }
    }

    // A request on a session this server tracks: busy while it runs, and its end is the session's last activity. Another
    // caller's request on it (which the SDK refuses) changes nothing.
    private void Touch(string sessionId, string requester, int delta)
    {
        if (string.IsNullOrWhiteSpace(sessionId))
        {
            return;
        }

        lock (_gate)
        {
            if (_sessions.TryGetValue(sessionId, out var session) && session.Caller == requester)
            {
                session.InFlight = Math.Max(0, session.InFlight + delta);
                session.LastSeen = time.GetUtcNow();
            }
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

    private sealed class SessionActivity(string caller)
    {
        public string Caller { get; } = caller;

        public int InFlight { get; set; }

        public DateTimeOffset LastSeen { get; set; }
    }

    private sealed class Reservation(SessionCap owner, string caller)
    {
        private int _claimed;
        private int _released;

        public string Caller => caller;

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
