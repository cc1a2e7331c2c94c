using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace DefenderMcp.State.Redis;

/// <summary>
/// Scheduled hunts shared by every replica: the schedules in one hash ("hunt/tenant" → definition; a field of the
/// earlier shape, hunt → definition on several tenants, is moved to one field per tenant when first read), each hunt's runs in a list,
/// newest first. Appending a run and trimming to the retention (runs and bytes) is one Lua script, so concurrent
/// replicas never keep more than the retention allows. Durable as far as Redis is (its persistence settings).
/// </summary>
public sealed class RedisHuntScheduleStore(RedisConnection redis, HuntRetention retention) : IHuntScheduleStore
{
    // Each list item is "<payload bytes>:<json>", so the script can count bytes without parsing JSON.
    private const string AddRunScript = """
        redis.call('LPUSH', KEYS[1], ARGV[1])
        local maxRuns = tonumber(ARGV[2])
        local maxBytes = tonumber(ARGV[3])
        local bytes = 0
        local keep = 0
        for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, maxRuns)) do
          bytes = bytes + tonumber(string.match(item, '^(%d+):'))
          if keep > 0 and (keep >= maxRuns or bytes > maxBytes) then break end
          keep = keep + 1
        end
        redis.call('LTRIM', KEYS[1], 0, keep - 1)
        return keep
        """;

    /// <inheritdoc />
    public bool IsDurable => true;

    /// <inheritdoc />
    public Task<IReadOnlyList<HuntScheduleEntry>> SchedulesAsync(CancellationToken cancellationToken) =>
        redis.RunAsync<IReadOnlyList<HuntScheduleEntry>>(async db =>
        {
            var entries = await AllAsync(db).ConfigureAwait(false);
            return [.. entries.Select(e => ReadSchedule(e.Name!, e.Value!)).OfType<HuntScheduleEntry>()];
        });

    /// <inheritdoc />
    /// <remarks>HSET answers whether the field is new, not what it held: the value replaced is read in the same transaction.</remarks>
    public Task<HuntScheduleEntry?> SaveScheduleAsync(HuntScheduleEntry schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var json = Serialize(schedule);
        return redis.RunAsync(async db =>
        {
            await AllAsync(db).ConfigureAwait(false);
            var transaction = db.CreateTransaction();
            var previous = transaction.HashGetAsync(Schedules, schedule.Key);
            _ = transaction.HashSetAsync(Schedules, schedule.Key, json);
            await transaction.ExecuteAsync().ConfigureAwait(false);
            var stored = await previous.ConfigureAwait(false);
            return stored.IsNull ? null : ReadSchedule(schedule.Key, stored!);
        });
    }

    /// <inheritdoc />
    public Task<bool> RemoveScheduleAsync(string hunt, string tenant, CancellationToken cancellationToken) =>
        redis.RunAsync(async db =>
        {
            await AllAsync(db).ConfigureAwait(false);
            return await db.HashDeleteAsync(Schedules, HuntScheduleEntry.SlotName(hunt, tenant)).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public Task AddRunAsync(HuntRunEntry run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var json = JsonSerializer.Serialize(new StoredRun(run.Tenant, run.RunAt.ToUnixTimeMilliseconds(), run.Payload));
        var item = run.Bytes.ToString(CultureInfo.InvariantCulture) + ":" + json;
        return redis.RunAsync(db => db.ScriptEvaluateAsync(AddRunScript, [RunsKey(run.Hunt)], [item, retention.RunsPerHunt, retention.BytesPerHunt]));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HuntRunEntry>> RunsAsync(string hunt, DateTimeOffset? since, CancellationToken cancellationToken) =>
        redis.RunAsync<IReadOnlyList<HuntRunEntry>>(async db =>
        {
            var items = await db.ListRangeAsync(RunsKey(hunt)).ConfigureAwait(false);
            return [.. items.Select(i => ReadRun(hunt, i!)).OfType<HuntRunEntry>().Where(r => since is null || r.RunAt >= since).OrderByDescending(r => r.RunAt)];
        });

    private RedisKey Schedules => redis.Key("hunts:schedules");

    // The field of a (hunt, tenant) schedule is "hunt/tenant"; its value keeps the earlier shape, with the one tenant.
    private static string Serialize(HuntScheduleEntry schedule) =>
        JsonSerializer.Serialize(new StoredSchedule((long)schedule.Every.TotalMilliseconds, [schedule.Tenant], schedule.CreatedAt.ToUnixTimeMilliseconds()));

    private RedisKey RunsKey(string hunt) => redis.Key("hunts:runs:" + hunt);

    /// <summary>
    /// Every field of the schedules hash, after moving those of the earlier shape (field = hunt, several tenants) to
    /// one field per tenant: each move is a transaction that runs only while the old field is as read, and never
    /// overwrites a per-tenant schedule made since (HSETNX), so replicas that move at once lose nothing.
    /// </summary>
    private async Task<HashEntry[]> AllAsync(IDatabase db)
    {
        var entries = await db.HashGetAllAsync(Schedules).ConfigureAwait(false);
        // Re-read after any move, ours or (when our transaction found the field changed) another replica's.
        var moved = false;
        foreach (var entry in entries)
        {
            var field = (string)entry.Name!;
            if (field.Contains('/', StringComparison.Ordinal) || ReadStored((string)entry.Value!) is not { } old)
            {
                continue;
            }

            var transaction = db.CreateTransaction();
            transaction.AddCondition(Condition.HashEqual(Schedules, field, entry.Value));
            foreach (var tenant in old.Tenants.Where(t => !string.IsNullOrEmpty(t)).Distinct(StringComparer.Ordinal))
            {
                _ = transaction.HashSetAsync(Schedules, HuntScheduleEntry.SlotName(field, tenant), JsonSerializer.Serialize(old with { Tenants = [tenant] }), When.NotExists);
            }

            _ = transaction.HashDeleteAsync(Schedules, field);
            await transaction.ExecuteAsync().ConfigureAwait(false);
            moved = true;
        }

        return moved ? await db.HashGetAllAsync(Schedules).ConfigureAwait(false) : entries;
    }

    private static StoredSchedule? ReadStored(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<StoredSchedule>(json) is { Tenants: not null } s && s.EveryMs > 0 ? s : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static HuntScheduleEntry? ReadSchedule(string field, string json)
    {
        var slash = field.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < field.Length - 1 && ReadStored(json) is { } s
            ? new HuntScheduleEntry(field[..slash], field[(slash + 1)..], TimeSpan.FromMilliseconds(s.EveryMs), DateTimeOffset.FromUnixTimeMilliseconds(s.CreatedMs))
            : null;
    }

    private static HuntRunEntry? ReadRun(string hunt, string item)
    {
        var colon = item.IndexOf(':', StringComparison.Ordinal);
        try
        {
            return colon > 0 && JsonSerializer.Deserialize<StoredRun>(item.AsSpan(colon + 1)) is { Tenant: not null, Payload: not null } r
                ? new HuntRunEntry(hunt, r.Tenant, DateTimeOffset.FromUnixTimeMilliseconds(r.RunAtMs), r.Payload)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record StoredSchedule(long EveryMs, string[] Tenants, long CreatedMs);

    private sealed record StoredRun(string Tenant, long RunAtMs, string Payload);
}
