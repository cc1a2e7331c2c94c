namespace DefenderMcp.Client;

/// <summary>
/// The client's own per-tenant limiter, set to the documented quotas (defender-api §2.1, §3.4–3.9), so a burst waits
/// here briefly instead of earning 429s. A wait longer than <see cref="MaxWait"/> fails at once with rate_limited.
/// </summary>
public sealed record DefenderRateLimits
{
    /// <summary>No local limiting (the service's 429s still apply).</summary>
    public static DefenderRateLimits None { get; } = new() { Enabled = false };

    /// <summary>Whether the limiter runs.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Longest total wait for a slot before failing with rate_limited.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Graph runHuntingQuery: at least 45 per minute per tenant; 1,500 per hour as for MDE hunting.</summary>
    public RateQuota Hunting { get; init; } = new(45, 1500);

    /// <summary>Other Graph security calls (150 per minute is the closest documented row).</summary>
    public RateQuota Graph { get; init; } = new(150);

    /// <summary>Each MDE API (machines, machine actions, each action type, indicators): 100 per minute, 1,500 per hour.</summary>
    public RateQuota Mde { get; init; } = new(100, 1500);

    /// <summary>A machine's vulnerabilities (<c>/api/machines/{id}/vulnerabilities</c>): 50 per minute, 1,500 per hour.</summary>
    public RateQuota MachineVulnerabilities { get; init; } = new(50, 1500);

    /// <summary>Indicator import and batch delete: 30 per minute, 1,500 per hour.</summary>
    public RateQuota IndicatorBatch { get; init; } = new(30, 1500);

    /// <summary>Live response: 10 per minute.</summary>
    public RateQuota LiveResponse { get; init; } = new(10);

    /// <summary>Investigation package link: 2 per minute, 120 per hour.</summary>
    public RateQuota PackageUri { get; init; } = new(2, 120);
}
