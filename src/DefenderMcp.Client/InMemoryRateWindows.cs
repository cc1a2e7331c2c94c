namespace DefenderMcp.Client;

/// <summary>The windows of one process: the call times of the last hour per family, counted per minute and per hour.</summary>
public sealed class InMemoryRateWindows(TimeProvider time) : IRateWindowStore
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly Dictionary<string, List<DateTimeOffset>> _calls = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ValueTask<TimeSpan?> TryTakeAsync(string family, RateQuota quota, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryTake(family, quota));

    /// <summary>Counts one call when the quota allows it (null); otherwise the wait until it would.</summary>
    public TimeSpan? TryTake(string family, RateQuota quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
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
