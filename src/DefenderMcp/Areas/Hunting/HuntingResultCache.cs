using System.Security.Cryptography;
using DefenderMcp.Client;

namespace DefenderMcp.Areas.Hunting;

/// <summary>
/// Bounded in-memory store of hunting results: least-recently-used eviction under a byte cap, and a time-to-live.
/// Ids are random (128 bits), so one cannot be guessed, and each is bound to its tenant.
/// </summary>
public sealed class HuntingResultCache(long maxBytes, TimeSpan timeToLive, TimeProvider time)
{
    private const long EntryOverhead = 512;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<CachedHuntingResult>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedHuntingResult> _recency = new();
    private long _bytes;

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
    public CachedHuntingResult? Add(string tenant, string query, string timespan, HuntingResult result)
    {
        long size = EntryOverhead + query.Length * 2L;
        foreach (var row in result.Rows)
        {
            size += row.Length + 32;
        }

        if (size > maxBytes)
        {
            return null;
        }

        var entry = new CachedHuntingResult(NewId(), tenant, query, timespan, result, time.GetUtcNow(), size);
        lock (_gate)
        {
            RemoveExpired();
            while (_bytes + size > maxBytes && _recency.Last is { } oldest)
            {
                Remove(oldest);
            }

            _byId[entry.ResultId] = _recency.AddFirst(entry);
            _bytes += size;
        }

        return entry;
    }

    /// <summary>The entry for <paramref name="resultId"/> if it exists, has not expired and belongs to <paramref name="tenant"/>.</summary>
    public CachedHuntingResult? TryGet(string resultId, string? tenant)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(resultId, out var node))
            {
                return null;
            }

            if (IsExpired(node.Value))
            {
                Remove(node);
                return null;
            }

            if (tenant is not null && !string.Equals(node.Value.Tenant, tenant, StringComparison.Ordinal))
            {
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value;
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
    }
}
