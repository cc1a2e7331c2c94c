namespace DefenderMcp.Client.Http;

/// <summary>
/// Sliding-window call counts per quota family (one instance per tenant client). Families follow the documented
/// quotas. The family comes with the request (<see cref="DefenderRequest.Family"/>), set by the builder that knows it.
/// </summary>
internal sealed class RateLimiter(DefenderRateLimits limits, TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly Dictionary<string, List<DateTimeOffset>> _calls = new(StringComparer.OrdinalIgnoreCase);

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
        while (TryTake(family, quota) is { } wait)
        {
            if (waited + wait > limits.MaxWait)
            {
                throw new DefenderApiException(DefenderErrorCode.RateLimited, $"The client's own limit for this Defender API is reached ({quota.PerMinute}/min); retry after the indicated time.", retryAfter: wait);
            }

            waited += wait;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan? TryTake(string family, RateQuota quota)
    {
        var now = time.GetUtcNow();
        lock (_calls)
        {
            if (!_calls.TryGetValue(family, out var calls))
            {
                _calls[family] = calls = [];
            }

            calls.RemoveAll(t => now - t >= Hour);
            var inMinute = calls.Count(t => now - t < Minute);
            var wait = TimeSpan.Zero;
            if (inMinute >= quota.PerMinute)
            {
                wait = calls[calls.Count - quota.PerMinute] + Minute - now;
            }

            if (quota.PerHour is { } perHour && calls.Count >= perHour)
            {
                var hourWait = calls[calls.Count - perHour] + Hour - now;
                wait = hourWait > wait ? hourWait : wait;
            }

            if (wait > TimeSpan.Zero)
            {
                return wait;
            }

            calls.Add(now);
            return null;
        }
    }
}
