using System.Globalization;

namespace DefenderMcp.Client.Http;

/// <summary>
/// The bound of one client call: every attempt, retry wait, token request and page read share it, so a hung upstream
/// ends the call in <see cref="DefenderRetryOptions.CallTimeout"/> instead of holding a tool for minutes. The caller's
/// own cancellation (an MCP cancel) passes straight through and is never reported as a timeout.
/// </summary>
internal sealed class CallDeadline : IDisposable
{
    private readonly DefenderRetryOptions _limits;
    private readonly CancellationToken _caller;
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    /// <summary>Starts the timer of one call: what the calls of <paramref name="shared"/> before it left of the bound.</summary>
    public CallDeadline(DefenderRetryOptions limits, TimeProvider clock, CallClock shared, CancellationToken caller)
    {
        _limits = limits;
        _caller = caller;
        _timer = new CancellationTokenSource(shared.StartOnce(clock).Left(limits.CallTimeout) ?? limits.CallTimeout, clock);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timer.Token);
    }

    /// <summary>Cancelled when the caller cancels or the deadline passes.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>True when the deadline, not the caller, ended the call.</summary>
    public bool Expired => _timer.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>The <c>timeout</c> error of a call that ran out of time, saying what to try.</summary>
    public DefenderApiException Timeout() =>
        new(DefenderErrorCode.Timeout, $"Defender did not answer within {Seconds(_limits.CallTimeout)} s (each attempt is limited to {Seconds(_limits.RequestTimeout)} s), so the call was stopped.", advice: Advice);

    /// <summary>The <c>timeout</c> error of a call whose time ran out while Entra ID had not answered the token request.</summary>
    public DefenderApiException EntraTimeout() =>
        new(DefenderErrorCode.Timeout, $"Entra ID did not answer the token request within {Seconds(_limits.CallTimeout)} s, so the call was stopped; nothing was sent to Defender.", advice: EntraAdvice);

    /// <summary>What to try after Entra ID did not answer.</summary>
    public const string EntraAdvice = "Try again in a minute; if it keeps happening, Entra ID may be degraded (check the Azure status page) or the network path to its endpoint blocked. The credential was not refused.";

    /// <summary>What to try after a timeout (shared with the per-attempt message).</summary>
    public const string Advice = "Try again in a minute; for a hunting query, narrow it (a shorter timespan, fewer rows); if it keeps happening the service may be degraded. The limits are set in the server's configuration.";

    /// <summary>A duration in seconds as the messages show it (e.g. 30, 0.5).</summary>
    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
