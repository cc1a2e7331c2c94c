namespace DefenderMcp.Client;

/// <summary>
/// Where one tenant's rate-limit windows are counted, per quota family. The client's own limiter counts in memory; a
/// cluster of servers gives every replica the same shared store, so together they stay within the tenant's Microsoft
/// quota. Checking and counting a call is one step.
/// </summary>
public interface IRateWindowStore
{
    /// <summary>Counts one call in <paramref name="family"/> when <paramref name="quota"/> allows it now (null); otherwise how long to wait.</summary>
    ValueTask<TimeSpan?> TryTakeAsync(string family, RateQuota quota, CancellationToken cancellationToken);
}
