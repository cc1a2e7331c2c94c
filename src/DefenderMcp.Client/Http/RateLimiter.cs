namespace DefenderMcp.Client.Http;

/// <summary>
/// Sliding-window call counts per quota family (one instance per tenant client). Families follow the documented
/// quotas. The family comes with the request (<see cref="DefenderRequest.Family"/>), set by the builder that knows it.
/// The counts live in an <see cref="IRateWindowStore"/>: this process by default, or a store shared by a cluster.
/// </summary>
internal sealed class RateLimiter(DefenderRateLimits limits, TimeProvider time, IRateWindowStore? windows = null)
{
    private readonly IRateWindowStore _windows = windows ?? new InMemoryRateWindows(time);

    /// <summary>
    /// Waits for a slot for <paramref name="request"/>, or throws rate_limited when the wait would pass
    /// <see cref="DefenderRateLimits.MaxWait"/> or <paramref name="timeLeft"/> (what is left of the call's bound):
    /// a wait the call's bound cuts short would end in a timeout saying Defender "did not answer", though nothing was sent.
    /// </summary>
    public async Task AcquireAsync(DefenderRequest request, TimeSpan timeLeft, CancellationToken cancellationToken)
    {
        if (!limits.Enabled)
        {
            return;
        }

        var family = request.Family.Key;
        var quota = request.Family.QuotaIn(limits);
        var waited = TimeSpan.Zero;
        while (await _windows.TryTakeAsync(family, quota, cancellationToken).ConfigureAwait(false) is { } wait)
        {
            if (waited + wait > limits.MaxWait || waited + wait >= timeLeft)
            {
                throw new DefenderApiException(DefenderErrorCode.RateLimited, $"The client's own limit for this Defender API is reached ({quota.PerMinute}/min); nothing was sent. Retry after the indicated time.", retryAfter: wait);
            }

            waited += wait;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
