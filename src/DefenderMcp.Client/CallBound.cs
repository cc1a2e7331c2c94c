using DefenderMcp.Client.Http;

namespace DefenderMcp.Client;

/// <summary>
/// One time bound for several client calls: a tool that makes more than one (a score and its groups, a device then its
/// list) would otherwise get <see cref="DefenderRetryOptions.CallTimeout"/> for each of them. Within a scope, every
/// client call on this async flow ends when the bound, counted from the scope's first client call, runs out.
/// </summary>
public static class CallBound
{
    private static readonly AsyncLocal<CallClock?> Ambient = new();

    /// <summary>
    /// Opens a scope whose client calls share one bound, until the returned scope is disposed. Its clock starts at the
    /// first client call, so the work before it (validation, building the client) costs nothing. Call it from the
    /// method whose awaits make the calls; an inner scope (a fan-out's tenant) has a clock of its own.
    /// </summary>
    public static IDisposable Begin()
    {
        var clock = new CallClock();
        var scope = new Scope(clock, Ambient.Value);
        Ambient.Value = clock;
        return scope;
    }

    /// <summary>
    /// The clock of the open scope of this async flow, or null. A task started inside a scope keeps the scope's clock
    /// on its flow after the scope has ended: an ended clock counts as none, so it never cuts a later call short.
    /// </summary>
    internal static CallClock? Current => Ambient.Value is { IsEnded: false } clock ? clock : null;

    private sealed class Scope(CallClock clock, CallClock? previous) : IDisposable
    {
        public void Dispose()
        {
            clock.End();
            Ambient.Value = previous;
        }
    }
}
