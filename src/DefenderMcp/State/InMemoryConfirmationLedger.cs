using System.Collections.Concurrent;
using System.Security.Cryptography;
using DefenderMcp.Policy;

namespace DefenderMcp.State;

/// <summary>
/// The ledger of one process: a key made at start and the spent tokens in memory; with a <see cref="SharedTokenFolder"/>
/// the key and the spent tokens live in that private folder as well, so separate <c>defender-mcp call</c> processes agree.
/// </summary>
public sealed class InMemoryConfirmationLedger(TimeProvider time, SharedTokenFolder? shared = null) : IConfirmationLedger
{
    private readonly byte[] _key = shared?.Key ?? RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<byte[]> SigningKeyAsync(CancellationToken cancellationToken) => Task.FromResult(_key);

    /// <inheritdoc />
    public Task<bool> TrySpendAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (old, _) in _used.Where(u => u.Value < now).ToList())
        {
            _used.TryRemove(old, out _);
        }

        return Task.FromResult(_used.TryAdd(tokenId, expiresAt) && (shared is null || shared.TrySpend(tokenId, expiresAt, now)));
    }
}
