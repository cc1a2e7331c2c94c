namespace DefenderMcp.State;

/// <summary>
/// A second tier behind the in-memory hunting result cache, shared by every replica, so a <c>result_id</c> made on one
/// pages on any other. It keeps opaque encoded entries under their random id, bounded in bytes and expiring after the
/// cache's time to live. The embedded server has none (the in-memory cache alone). Reads and writes may throw
/// <see cref="StateStoreException"/>; the cache then serves from memory alone.
/// </summary>
public interface IResultCacheStore
{
    /// <summary>Stores <paramref name="entry"/> under <paramref name="resultId"/> for <paramref name="timeToLive"/>, evicting the oldest entries beyond the byte cap.</summary>
    Task PutAsync(string resultId, ReadOnlyMemory<byte> entry, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>The entry stored under <paramref name="resultId"/>, or null when there is none (expired, evicted, never stored).</summary>
    Task<byte[]?> GetAsync(string resultId, CancellationToken cancellationToken);
}
