using StackExchange.Redis;

namespace DefenderMcp.State.Redis;

/// <summary>
/// Hunting results shared by every replica. Each entry is one key with the cache's time to live; one Lua script
/// also keeps an index (creation time and size of each entry) and drops expired entries, then the oldest, until the
/// new one fits under the byte cap, so the shared cache stays bounded whatever Redis's own memory policy is.
/// </summary>
public sealed class RedisResultCacheStore(RedisConnection redis, long maxBytes) : IResultCacheStore
{
    private const string PutScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local ttl = tonumber(ARGV[3])
        local max = tonumber(ARGV[4])
        local size = string.len(ARGV[2])
        if size > max then return 0 end
        local function drop(id)
          local s = tonumber(redis.call('HGET', KEYS[2], id) or '0')
          redis.call('DECRBY', KEYS[3], s)
          redis.call('HDEL', KEYS[2], id)
          redis.call('ZREM', KEYS[1], id)
          redis.call('DEL', ARGV[5] .. id)
        end
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - ttl)) do drop(id) end
        while tonumber(redis.call('GET', KEYS[3]) or '0') + size > max do
          local oldest = redis.call('ZRANGE', KEYS[1], 0, 0)
          if #oldest == 0 then
            redis.call('SET', KEYS[3], 0)
            break
          end
          drop(oldest[1])
        end
        redis.call('SET', KEYS[4], ARGV[2], 'PX', ttl)
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('HSET', KEYS[2], ARGV[1], size)
        redis.call('INCRBY', KEYS[3], size)
        return 1
        """;

    /// <inheritdoc />
    public Task PutAsync(string resultId, ReadOnlyMemory<byte> entry, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        redis.RunAsync(db => db.ScriptEvaluateAsync(
            PutScript,
            [redis.Key("results:index"), redis.Key("results:sizes"), redis.Key("results:bytes"), EntryKey(resultId)],
            [resultId, entry, (long)timeToLive.TotalMilliseconds, maxBytes, (string)EntryKey(string.Empty)!]));

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string resultId, CancellationToken cancellationToken) =>
        redis.RunAsync(async db => (byte[]?)await db.StringGetAsync(EntryKey(resultId)).ConfigureAwait(false));

    private RedisKey EntryKey(string resultId) => redis.Key("results:entry:" + resultId);
}
