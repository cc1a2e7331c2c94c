namespace DefenderMcp.Client.Http;

/// <summary>
/// The clock of a <see cref="CallBound"/> scope: started by the scope's first client call (on that client's timeout
/// clock), then read by every later call and retry decision of the scope, so they all count from one start.
/// </summary>
internal sealed class CallClock
{
    private Start? _start;
    private volatile bool _ended;

    /// <summary>True once the scope has ended.</summary>
    public bool IsEnded => _ended;

    /// <summary>Ends the scope: a task that still holds this clock gets bounds of its own.</summary>
    public void End() => _ended = true;

    /// <summary>Starts the clock on <paramref name="clock"/> unless a call of the scope already has.</summary>
    public CallClock StartOnce(TimeProvider clock)
    {
        Interlocked.CompareExchange(ref _start, new Start(clock, clock.GetTimestamp()), null);
        return this;
    }

    /// <summary>What is left of <paramref name="bound"/> now (never below zero); null before the first call started the clock.</summary>
    public TimeSpan? Left(TimeSpan bound) =>
        _start is { } start ? TimeSpan.FromTicks(Math.Max(0, (bound - start.Clock.GetElapsedTime(start.At)).Ticks)) : null;

    private sealed record Start(TimeProvider Clock, long At);
}
