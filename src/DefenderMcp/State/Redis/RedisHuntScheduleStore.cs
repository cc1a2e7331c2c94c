using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace DefenderMcp.State.Redis;

/// <summary>
/// Scheduled hunts shared by every replica: the schedules in one hash (hunt → definition), each hunt's runs in a list,
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

    // Compare-and-set rounds before a schedule that keeps changing under us is reported as busy.
    private const int ChangeAttempts = 8;

    /// <inheritdoc />
    public bool IsDurable => true;

    /// <inheritdoc />
    public Task<IReadOnlyList<HuntScheduleEntry>> SchedulesAsync(CancellationToken cancellationToken) =>
        redis.RunAsync<IReadOnlyList<HuntScheduleEntry>>(async db =>
        {
            var entries = await db.HashGetAllAsync(redis.Key("hunts:schedules")).ConfigureAwait(false);
            return [.. entries.Select(e => ReadSchedule(e.Name!, e.Value!)).OfType<HuntScheduleEntry>()];
        });

    /// <inheritdoc />
    public Task SaveScheduleAsync(HuntScheduleEntry schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var json = Serialize(schedule);
        return redis.RunAsync(db => db.HashSetAsync(redis.Key("hunts:schedules"), schedule.Hunt, json));
    }

    /// <inheritdoc />
    public Task<bool> RemoveScheduleAsync(string hunt, CancellationToken cancellationToken) =>
        redis.RunAsync(db => db.HashDeleteAsync(redis.Key("hunts:schedules"), hunt));

    /// <inheritdoc />
    /// <remarks>
    /// Read, check, then a transaction that writes only if the schedule is still the one read (compare-and-set on the
    /// hash field); when another replica changed it in between, the change is read and checked again.
    /// </remarks>
    public Task<ScheduleChange> ChangeScheduleAsync(string hunt, HuntScheduleEntry? replacement, Func<HuntScheduleEntry?, bool> mayChange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mayChange);
        var key = redis.Key("hunts:schedules");
        var json = replacement is null ? null : Serialize(replacement);
        return redis.RunAsync(async db =>
        {
            for (var attempt = 0; attempt < ChangeAttempts; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stored = await db.HashGetAsync(key, hunt).ConfigureAwait(false);
                var previous = stored.IsNull ? null : ReadSchedule(hunt, stored!);
                if (!mayChange(previous))
                {
                    return new ScheduleChange(false, previous);
                }

                var transaction = db.CreateTransaction();
                transaction.AddCondition(stored.IsNull ? Condition.HashNotExists(key, hunt) : Condition.HashEqual(key, hunt, stored));
                _ = json is null ? transaction.HashDeleteAsync(key, hunt) : transaction.HashSetAsync(key, hunt, json);
                if (await transaction.ExecuteAsync().ConfigureAwait(false))
                {
                    return new ScheduleChange(true, previous);
                }
            }

            throw new StateStoreException($"the schedule of '{hunt}' kept changing on other replicas; try again.");
        });
    }

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

    private static string Serialize(HuntScheduleEntry schedule) =>
        JsonSerializer.Serialize(new StoredSchedule((long)schedule.Every.TotalMilliseconds, [.. schedule.Tenants], schedule.CreatedAt.ToUnixTimeMilliseconds()));

    private RedisKey RunsKey(string hunt) => redis.Key("hunts:runs:" + hunt);

    private static HuntScheduleEntry? ReadSchedule(string hunt, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<StoredSchedule>(json) is { Tenants: not null } s && s.EveryMs > 0
                ? new HuntScheduleEntry(hunt, TimeSpan.FromMilliseconds(s.EveryMs), s.Tenants, DateTimeOffset.FromUnixTimeMilliseconds(s.CreatedMs))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
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
