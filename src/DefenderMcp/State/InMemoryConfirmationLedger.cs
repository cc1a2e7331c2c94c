using System.Collections.Concurrent;
using System.Security.Cryptography;
using DefenderMcp.Policy;

namespace DefenderMcp.State;

/// <summary>
/// The ledger of one process: a key made at start and the spent tokens in memory; with a <see cref="SharedTokenFolder"/>
/// the key and the spent tokens live in that private folder as well, so separate <c>defender-mcp call</c> processes agree.
/// A folder that cannot answer throws <see cref="StateStoreException"/>, which refuses the write.
/// </summary>
public sealed class InMemoryConfirmationLedger(TimeProvider time, SharedTokenFolder? shared = null) : IConfirmationLedger
{
    private readonly byte[]? _key = shared is null ? RandomNumberGenerator.GetBytes(32) : null;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<byte[]> SigningKeyAsync(CancellationToken cancellationToken) =>
        shared is null ? Task.FromResult(_key!) : shared.KeyAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<bool> TrySpendAsync(string tokenId, byte[] signingKey, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (old, _) in _used.Where(u => u.Value < now).ToList())
        {
            _used.TryRemove(old, out _);
        }

        if (!_used.TryAdd(tokenId, expiresAt))
        {
            return false;
        }

        if (shared is null)
        {
            return true;
        }

        try
        {
            return await shared.TrySpendAsync(tokenId, expiresAt, now, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Not recorded in the folder: the token is not spent, so a retry once the folder answers may use it.
            _used.TryRemove(tokenId, out _);
            throw;
        }
    }
}
