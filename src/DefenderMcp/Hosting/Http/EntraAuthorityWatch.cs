using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// When a token is refused for want of a signing key, checks (in the background, at most once a minute) whether the
/// authority's keys can be read at all, and if not logs a warning that names the cause. The JWT handler goes on without
/// keys when it cannot read them, so an unreachable or untrusted authority refused every Entra caller with nothing in
/// the log at the default level but, at Information, "no signing key", which blames the caller's token.
/// </summary>
public sealed class EntraAuthorityWatch(EntraCallerOptions entra, TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private long _nextCheck = long.MinValue;

    /// <summary>Starts a check unless one ran in the last minute; never waits for it and never throws.</summary>
    public void TokenLackedKey(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextCheck);
        if (now < next || Interlocked.CompareExchange(ref _nextCheck, now + Interval.Ticks, next) != next)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                if (await EntraAuthorityProbe.ProblemAsync(entra, CancellationToken.None).ConfigureAwait(false) is { } problem)
                {
                    logger.LogWarning("Entra ID callers are refused: {Problem}; {Fix}.", problem, EntraAuthorityProbe.Fix);
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning("Entra ID callers may be refused: the authority's signing keys could not be checked ({ExceptionType}).", ex.GetType().Name);
            }
        });
    }
}
