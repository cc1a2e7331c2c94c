using System.Collections.Concurrent;

namespace DefenderMcp.Client.Http;

/// <summary>
/// One connection pool per trust setting, shared by every tenant's client of a server. A connection carries no
/// identity (each request has its own tenant's token), so a fan-out over many tenants reuses warm TLS connections
/// instead of paying a handshake (and a chain build) per tenant. Owned by the host; disposing it closes the pools.
/// </summary>
public sealed class SharedConnections : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<SocketsHttpHandler>> _handlers = new(StringComparer.Ordinal);

    /// <summary>The handler for <paramref name="trustedPemPath"/> (null: the system store only), made on first use.</summary>
    /// <exception cref="DefenderApiException">invalid_input when the file is not a readable PEM certificate.</exception>
    public SocketsHttpHandler For(string? trustedPemPath)
    {
        var key = trustedPemPath is null ? string.Empty : Path.GetFullPath(trustedPemPath);
        var made = _handlers.GetOrAdd(key, _ => new Lazy<SocketsHttpHandler>(() => TlsTrust.CreateHandler(trustedPemPath)));
        try
        {
            return made.Value;
        }
        catch (DefenderApiException)
        {
            // A bad file is reported to this caller and the next one alike, never cached as a broken handler.
            _handlers.TryRemove(new KeyValuePair<string, Lazy<SocketsHttpHandler>>(key, made));
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var handler in _handlers.Values.Where(h => h.IsValueCreated))
        {
            handler.Value.Dispose();
        }
    }
}
