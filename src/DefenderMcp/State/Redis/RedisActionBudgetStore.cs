using StackExchange.Redis;

namespace DefenderMcp.State.Redis;

/// <summary>
/// Budgets shared by every replica: per tenant, a sorted set of action times in the rolling hour. One Lua script trims
/// the window, checks the count and records the action, so the cluster as a whole never exceeds the budget. Times
/// come from Redis's clock, so replicas with skewed clocks still agree.
/// </summary>
public sealed class RedisActionBudgetStore(RedisConnection redis) : IActionBudgetStore
{
    private const long WindowMs = 3_600_000;

    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        local limit = tonumber(ARGV[2])
        local count = tonumber(ARGV[5])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local n = redis.call('ZCARD', KEYS[1])
        if n + count > limit then
          local must = n + count - limit
          local frees = now + window
          if count <= limit and must <= n then
            local r = redis.call('ZRANGE', KEYS[1], must - 1, must - 1, 'WITHSCORES')
            frees = tonumber(r[2]) + window
          end
          local left = limit - n
          if left < 0 then left = 0 end
          return {0, left, frees}
        end
        if ARGV[3] == '1' then
          for i = 1, count do
            redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. i)
          end
          redis.call('PEXPIRE', KEYS[1], window)
          n = n + count
        end
        return {1, limit - n, now}
        """;

    /// <inheritdoc />
    public Task<BudgetDecision> TryReserveAsync(string tenant, int perHour, int count, CancellationToken cancellationToken) =>
        DecideAsync(tenant, perHour, count, reserve: true);

    /// <inheritdoc />
    public Task<BudgetDecision> PeekAsync(string tenant, int perHour, int count, CancellationToken cancellationToken) =>
        DecideAsync(tenant, perHour, count, reserve: false);

    private Task<BudgetDecision> DecideAsync(string tenant, int perHour, int count, bool reserve) =>
        redis.RunAsync(async db =>
        {
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(
                Script,
                [redis.Key("budget:" + tenant)],
                [WindowMs, perHour, reserve ? "1" : "0", Guid.NewGuid().ToString("N"), count]).ConfigureAwait(false))!;
            return new BudgetDecision((long)result[0] == 1, (int)(long)result[1], DateTimeOffset.FromUnixTimeMilliseconds((long)result[2]));
        });
}
