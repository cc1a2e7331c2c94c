namespace DefenderMcp.Client.Auth;

/// <summary>
/// Fetches the tokens of a fan-out's waiting tenants while the running ones call, so that a cold fan-out waits for
/// one token rather than one per batch of tenants. Which API the tool calls is a wire fact the tool layer does not
/// know: the first running call that asks for a token of an API (<see cref="Notice"/>, from the pipeline) starts the
/// fetches for that API, in the tenants' order, at most <c>concurrency</c> at a time. A tenant's own call waits for
/// its fetch in progress (the token cache's gate) and gets a failed fetch's error as its own (one request to Entra
/// either way). Ambient for the fan-out's calls (an <see cref="AsyncLocal{T}"/>); disposing it stops the fetches.
/// </summary>
public sealed class TokenLookahead : IDisposable
{
    private static readonly AsyncLocal<TokenLookahead?> Ambient = new();
    private readonly IReadOnlyList<Func<DefenderClient?>> _waiting;
    private readonly int _concurrency;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationToken _stopping;
    private int _noticed;

    private TokenLookahead(IReadOnlyList<Func<DefenderClient?>> waiting, int concurrency, CancellationToken cancellationToken)
    {
        _waiting = waiting;
        _concurrency = Math.Max(1, concurrency);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _stopping = _stop.Token;
    }

    /// <summary>
    /// Makes a lookahead over <paramref name="waiting"/> (each tenant's client, made on first use, or null once the
    /// tenant's own call has begun) the ambient one of the calling async flow. Call it from the async method that starts the fan-out's calls, and dispose it there.
    /// </summary>
    public static TokenLookahead Begin(IReadOnlyList<Func<DefenderClient?>> waiting, int concurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        var lookahead = new TokenLookahead(waiting, concurrency, cancellationToken);
        Ambient.Value = lookahead;
        return lookahead;
    }

    /// <summary>A call of the ambient fan-out is about to ask for a token of <paramref name="api"/>.</summary>
    internal static void Notice(DefenderApi api) => Ambient.Value?.Start(api);

    /// <inheritdoc />
    public void Dispose()
    {
        Ambient.Value = null;
        _stop.Cancel();
        _stop.Dispose();
    }

    private void Start(DefenderApi api)
    {
        var bit = 1 << (int)api;
        if ((Interlocked.Or(ref _noticed, bit) & bit) != 0 || _waiting.Count == 0)
        {
            return;
        }

        // The fetches run outside the fan-out's flow, so their own token requests notice nothing.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => FetchAsync(api));
        }
    }

    private async Task FetchAsync(DefenderApi api)
    {
        var next = -1;
        async Task LaneAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < _waiting.Count && !_stopping.IsCancellationRequested; i = Interlocked.Increment(ref next))
            {
                try
                {
                    if (_waiting[i]() is { } client)
                    {
                        await client.PrefetchTokenAsync(api, _stopping).ConfigureAwait(false);
                    }
                }
                catch (Exception)
                {
                    // A client that cannot be made fails the tenant's own call the same way; nothing to keep here.
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(_concurrency, _waiting.Count)).Select(_ => LaneAsync())).ConfigureAwait(false);
    }
}
