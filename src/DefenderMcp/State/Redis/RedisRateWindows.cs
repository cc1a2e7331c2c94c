using DefenderMcp.Client;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace DefenderMcp.State.Redis;

/// <summary>
/// One tenant's rate-limit windows shared by every replica: per quota family a sorted set of call times in the last
/// hour, checked and counted by one Lua script on Redis's clock, so the cluster together stays within the tenant's
/// Microsoft quota. While Redis cannot be reached, reads must go on: this replica then counts on its own (in memory).
/// </summary>
public sealed class RedisRateWindows(RedisConnection redis, string tenant, TimeProvider time, ILogger logger) : IRateWindowStore
{
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local perMinute = tonumber(ARGV[1])
        local perHour = tonumber(ARGV[2])
        local minute = 60000
        local hour = 3600000
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - hour)
        local wait = 0
        local inMinute = redis.call('ZCOUNT', KEYS[1], '(' .. (now - minute), '+inf')
        if inMinute >= perMinute then
          local r = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - minute), '+inf', 'WITHSCORES', 'LIMIT', inMinute - perMinute, 1)
          wait = tonumber(r[2]) + minute - now
        end
        if perHour > 0 then
          local total = redis.call('ZCARD', KEYS[1])
          if total >= perHour then
            local r = redis.call('ZRANGE', KEYS[1], total - perHour, total - perHour, 'WITHSCORES')
            local hourWait = tonumber(r[2]) + hour - now
            if hourWait > wait then wait = hourWait end
          end
        end
        if wait > 0 then return wait end
        redis.call('ZADD', KEYS[1], now, ARGV[3])
        redis.call('PEXPIRE', KEYS[1], hour)
        return -1
        """;

    private readonly InMemoryRateWindows _local = new(time);
    private int _degraded;

    /// <inheritdoc />
    public async ValueTask<TimeSpan?> TryTakeAsync(string family, RateQuota quota, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(quota);
        try
        {
            var wait = await redis.RunAsync(async db => (long)(await db.ScriptEvaluateAsync(
                Script,
                [redis.Key($"rate:{tenant}:{family}")],
                [quota.PerMinute, quota.PerHour ?? 0, Guid.NewGuid().ToString("N")]).ConfigureAwait(false))).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _degraded, 0) == 1)
            {
                logger.LogWarning("Rate limits of tenant {Tenant} are shared again in Redis", tenant);
            }

            return wait < 0 ? null : TimeSpan.FromMilliseconds(wait);
        }
        catch (StateStoreException)
        {
            if (Interlocked.Exchange(ref _degraded, 1) == 0)
            {
                logger.LogWarning("Rate limits of tenant {Tenant} are counted on this replica alone until Redis is back", tenant);
            }

            return _local.TryTake(family, quota);
        }
    }
}
