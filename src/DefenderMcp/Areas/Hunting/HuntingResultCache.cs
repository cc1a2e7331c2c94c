using System.Security.Cryptography;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.Areas.Hunting;

/// <summary>
/// Bounded in-memory store of hunting results: least-recently-used eviction under a byte cap, and a time-to-live.
/// Ids are random (128 bits), so one cannot be guessed, and each is bound to its tenant. In a cluster a shared
/// <see cref="IResultCacheStore"/> (Redis) sits behind it, so a result made on one replica pages on any other; when that
/// store cannot be reached the cache goes on from memory alone (reads never fail because of it).
/// </summary>
/// <remarks>
/// An entry costs what it really holds on the heap (each row's array with its object header and alignment, the row
/// list's slots including spare capacity, the query), so the cap bounds the process's memory, not just the JSON. Rows
/// are many small arrays that live long enough to reach the oldest generation, where a collection frees them but the
/// runtime would keep the memory committed: once evictions have dropped <see cref="ReturnAfterBytes"/> or more, one
/// compacting collection that gives the memory back to the OS is queued off the caller's path (at most one at a time).
/// </remarks>
public sealed class HuntingResultCache(long maxBytes, TimeSpan timeToLive, TimeProvider time, IResultCacheStore? shared = null, ILogger? logger = null)
{
    /// <summary>Evicted bytes after which memory is given back to the OS.</summary>
    public const long ReturnAfterBytes = 32L * 1024 * 1024;

    private const long EntryOverhead = 512;
    private const int ArrayHeader = 24;
    private const int ListSlot = 16;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<CachedHuntingResult>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedHuntingResult> _recency = new();
    private long _bytes;
    private long _evictedSinceReturn;
    private int _returnQueued;

    /// <summary>Bytes currently held.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Entries currently held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>Stores a result and returns its entry; null when the result alone is larger than the whole cache.</summary>
    public CachedHuntingResult? Add(string tenant, string query, string timespan, HuntingResult result) =>
        Add(tenant, query, timespan, result, ActionTier.Read);

    /// <summary>Stores a result that a caller needs <paramref name="tier"/> on the tenant to read; null when it is larger than the whole cache.</summary>
    public CachedHuntingResult? Add(string tenant, string query, string timespan, HuntingResult result, ActionTier tier)
    {
        var size = Footprint(query, result);
        if (size > maxBytes)
        {
            return null;
        }

        var entry = new CachedHuntingResult(NewId(), tenant, query, timespan, result, time.GetUtcNow(), size, tier);
        Keep(entry);
        return entry;
    }

    /// <summary>
    /// Stores a result in memory and, in a cluster, in the shared store too (so any replica can page it); null when
    /// the result alone is larger than the whole cache. A shared store that cannot be reached is logged, not thrown.
    /// </summary>
    public Task<CachedHuntingResult?> AddAsync(string tenant, string query, string timespan, HuntingResult result, CancellationToken cancellationToken) =>
        AddAsync(tenant, query, timespan, result, ActionTier.Read, cancellationToken);

    /// <summary>As <see cref="AddAsync(string, string, string, HuntingResult, CancellationToken)"/>, for a result a caller needs <paramref name="tier"/> to read.</summary>
    public async Task<CachedHuntingResult?> AddAsync(string tenant, string query, string timespan, HuntingResult result, ActionTier tier, CancellationToken cancellationToken)
    {
        var entry = Add(tenant, query, timespan, result, tier);
        if (entry is null || shared is null)
        {
            return entry;
        }

        try
        {
            await shared.PutAsync(entry.ResultId, CachedResultCodec.Encode(entry), timeToLive, cancellationToken).ConfigureAwait(false);
        }
        catch (StateStoreException ex)
        {
            (logger ?? NullLogger.Instance).LogWarning("Hunting result kept on this replica only: {Reason}", ex.Message);
        }

        return entry;
    }

    /// <summary>What a read of a result this replica does not hold says while the shared store cannot answer.</summary>
    public const string SharedStoreDown =
        "The shared result store (Redis) cannot be reached, and this replica does not hold that result, so it cannot be read now; it may still be there (results are kept 30 minutes): try again in a moment.";

    /// <summary>
    /// The entry for <paramref name="resultId"/> from memory or, in a cluster, from the shared store (then kept in
    /// memory too); null when none exists, it expired, or it belongs to another tenant than <paramref name="tenant"/>.
    /// Throws <see cref="StateStoreException"/> (<see cref="SharedStoreDown"/>) when only the shared store could say,
    /// and it cannot be reached.
    /// </summary>
    public async Task<CachedHuntingResult?> TryGetAsync(string resultId, string? tenant, CancellationToken cancellationToken)
    {
        var local = TryGet(resultId, tenant);
        if (local is not null || shared is null)
        {
            return local;
        }

        byte[]? encoded;
        try
        {
            encoded = await shared.GetAsync(resultId, cancellationToken).ConfigureAwait(false);
        }
        catch (StateStoreException ex)
        {
            // Not "expired": the result may well be there, and the caller should retry rather than run the query again.
            (logger ?? NullLogger.Instance).LogWarning("Shared hunting results unavailable: {Reason}", ex.Message);
            throw new StateStoreException(SharedStoreDown, ex);
        }

        if (encoded is null || CachedResultCodec.Decode(resultId, encoded) is not { } entry || IsExpired(entry) ||
            (tenant is not null && !string.Equals(entry.Tenant, tenant, StringComparison.Ordinal)))
        {
            return null;
        }

        return Keep(entry with { SizeBytes = Footprint(entry.Query, entry.Result) }) ?? entry;
    }

    private CachedHuntingResult? Keep(CachedHuntingResult entry)
    {
        var size = entry.SizeBytes;
        if (size > maxBytes)
        {
            return null;
        }

        lock (_gate)
        {
            if (_byId.TryGetValue(entry.ResultId, out var existing))
            {
                return existing.Value;
            }

            RemoveExpired();
            while (_bytes + size > maxBytes && _recency.Last is { } oldest)
            {
                Remove(oldest);
            }

            _byId[entry.ResultId] = _recency.AddFirst(entry);
            _bytes += size;
        }

        ReturnMemoryIfDue();
        return entry;
    }

    /// <summary>The entry for <paramref name="resultId"/> if it exists, has not expired and belongs to <paramref name="tenant"/>.</summary>
    public CachedHuntingResult? TryGet(string resultId, string? tenant)
    {
        var returnMemory = false;
        lock (_gate)
        {
            if (!_byId.TryGetValue(resultId, out var node))
            {
                return null;
            }

            if (IsExpired(node.Value))
            {
                Remove(node);
                returnMemory = true;
            }
            else if (tenant is not null && !string.Equals(node.Value.Tenant, tenant, StringComparison.Ordinal))
            {
                return null;
            }
            else
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value;
            }
        }

        if (returnMemory)
        {
            ReturnMemoryIfDue();
        }

        return null;
    }

    /// <summary>The live results, most recently used first, at most <paramref name="max"/> (for completions).</summary>
    public IReadOnlyList<CachedHuntingResult> Recent(int max)
    {
        lock (_gate)
        {
            return [.. _recency.Where(e => !IsExpired(e)).Take(max)];
        }
    }

    /// <summary>
    /// What <paramref name="result"/> holds on the heap: per row its array (header, bytes rounded up to 8) and its
    /// list slot, the list's spare slots, the schema and the query.
    /// </summary>
    internal static long Footprint(string query, HuntingResult result)
    {
        long size = EntryOverhead + ArrayHeader + (query.Length * 2L);
        foreach (var column in result.Schema)
        {
            size += 64 + ((column.Name.Length + column.Type.Length) * 2L);
        }

        foreach (var row in result.Rows)
        {
            size += ArrayHeader + ((row.Length + 7L) & ~7L) + ListSlot;
        }

        if (result.Rows is List<ReadOnlyMemory<byte>> list)
        {
            size += ArrayHeader + ((long)(list.Capacity - list.Count) * ListSlot);
        }

        return size;
    }

    private void ReturnMemoryIfDue()
    {
        lock (_gate)
        {
            if (_evictedSinceReturn < ReturnAfterBytes)
            {
                return;
            }

            _evictedSinceReturn = 0;
        }

        if (Interlocked.Exchange(ref _returnQueued, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(
                static cache =>
                {
                    Volatile.Write(ref cache._returnQueued, 0);
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                },
                this,
                preferLocal: false);
        }
    }

    private static string NewId() => "hr_" + Base64Url(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private bool IsExpired(CachedHuntingResult entry) => time.GetUtcNow() - entry.CreatedAt > timeToLive;

    private void RemoveExpired()
    {
        while (_recency.Last is { } oldest && IsExpired(oldest.Value))
        {
            Remove(oldest);
        }
    }

    private void Remove(LinkedListNode<CachedHuntingResult> node)
    {
        _recency.Remove(node);
        _byId.Remove(node.Value.ResultId);
        _bytes -= node.Value.SizeBytes;
        _evictedSinceReturn += node.Value.SizeBytes;
    }
}
