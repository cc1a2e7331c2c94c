using System.Security.Claims;

namespace DefenderMcp.Hosting.Http;

/// <summary>What one HTTP session was last shown by tools/list: its caller, and the names it may see (null: every tool).</summary>
internal sealed class SessionToolView(ClaimsPrincipal? user, IReadOnlySet<string>? tools)
{
    private readonly Lock _gate = new();
    private IReadOnlySet<string>? _tools = tools;

    /// <summary>The session's caller, as authenticated when it listed the tools.</summary>
    public ClaimsPrincipal? User { get; } = user;

    /// <summary>
    /// Whether <paramref name="now"/> differs from what the session was last told, remembering <paramref name="now"/>
    /// when it does (so that the notice about it goes out once).
    /// </summary>
    public bool Changes(IReadOnlySet<string>? now)
    {
        lock (_gate)
        {
            var same = (_tools, now) switch
            {
                (null, null) => true,
                ({ } before, { } after) => before.SetEquals(after),
                _ => false,
            };
            if (!same)
            {
                _tools = now;
            }

            return !same;
        }
    }
}
