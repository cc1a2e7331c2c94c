namespace DefenderMcp.Client.Http;

/// <summary>
/// Sliding-window call counts per quota family (one instance per tenant client). Families follow the documented
/// quotas. The family comes with the request (<see cref="DefenderRequest.Family"/>), set by the builder that knows it.
/// The counts live in an <see cref="IRateWindowStore"/>: this process by default, or a store shared by a cluster.
/// </summary>
internal sealed class RateLimiter(DefenderRateLimits limits, TimeProvider time, IRateWindowStore? windows = null)
{
    private readonly IRateWindowStore _windows = windows ?? new InMemoryRateWindows(time);

    /// <summary>Waits for a slot for <paramref name="request"/>, or throws rate_limited when the wait would exceed the bound.</summary>
    public async Task AcquireAsync(DefenderRequest request, CancellationToken cancellationToken)
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
            if (waited + wait > limits.MaxWait)
            {
                throw new DefenderApiException(DefenderErrorCode.RateLimited, $"The client's own limit for this Defender API is reached ({quota.PerMinute}/min); retry after the indicated time.", retryAfter: wait);
            }

            waited += wait;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
