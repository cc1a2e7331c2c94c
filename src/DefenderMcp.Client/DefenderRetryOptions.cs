namespace DefenderMcp.Client;

/// <summary>Retry and timeout bounds of the HTTP pipeline.</summary>
public sealed record DefenderRetryOptions
{
    /// <summary>Longest single wait on a 429's Retry-After; a longer one fails at once with rate_limited.</summary>
    public TimeSpan MaxRetryAfterWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest total of Retry-After waits for one operation.</summary>
    public TimeSpan MaxTotalRetryAfterWait { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Tries (first included) of an idempotent request after 5xx or timeout.</summary>
    public int MaxTransientAttempts { get; init; } = 3;

    /// <summary>Base of the jittered exponential backoff between transient retries.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Timeout of one HTTP attempt (30 s by default): a hung upstream is given up on and, for a read, tried again
    /// within <see cref="CallTimeout"/>.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bound of one client call in total: every attempt, retry wait, token request and the reading of every page
    /// (50 s by default, under the 60 s common MCP clients wait). Past it the call fails with <c>timeout</c>.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(50);
}
