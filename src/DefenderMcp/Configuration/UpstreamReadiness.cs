using DefenderMcp.Client;

namespace DefenderMcp.Configuration;

/// <summary>
/// An upstream that may still be starting when the server starts: <c>--demo</c> starts its emulator beside the server's
/// host instead of before it, so that the host does not wait for it. Every tenant's client waits here (bounded) before
/// it is made, so no certificate read, trust check or request reaches the emulator before it serves, and a start that
/// failed or hangs becomes a clear upstream error instead of a hang.
/// </summary>
public sealed class UpstreamReadiness(Task started, TimeSpan bound, string name)
{
    /// <summary>Returns once the upstream serves; throws <see cref="DefenderApiException"/> when it cannot start or does not within the bound.</summary>
    public void Wait()
    {
        if (started.IsCompletedSuccessfully)
        {
            return;
        }

        try
        {
            // Only the first calls of a session can get here (the start takes well under a second), and each waits at
            // most the bound: a blocking wait keeps every caller of the tenants' clients unchanged.
            if (started.Wait(bound))
            {
                return;
            }
        }
        catch (AggregateException ex)
        {
            throw new DefenderApiException(DefenderErrorCode.UpstreamError, $"{name} could not start ({ex.InnerException?.GetType().Name}).", inner: ex.InnerException);
        }

        throw new DefenderApiException(DefenderErrorCode.Timeout, $"{name} did not start within {bound.TotalSeconds:0} s.");
    }
}
