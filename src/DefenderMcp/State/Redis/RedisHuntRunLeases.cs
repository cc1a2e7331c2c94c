using StackExchange.Redis;

namespace DefenderMcp.State.Redis;

/// <summary>
/// Which replica runs a slot of a scheduled hunt: one key per slot, claimed with SET NX and an expiry (the lease),
/// renewed by its owner while the run goes on, and turned into "done" when it ends. A replica that dies mid-run stops
/// renewing, its lease lapses, and the next replica that looks claims the slot.
/// </summary>
public sealed class RedisHuntRunLeases(RedisConnection redis) : IHuntRunLeases
{
    private const string Done = "done";

    private const string RenewScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """;

    private const string CompleteScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] or not holder then
          redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
          return 1
        end
        return 0
        """;

    /// <inheritdoc />
    public bool IsShared => true;

    /// <inheritdoc />
    public Task<bool> TryClaimAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        owner == Done
            ? throw new ArgumentException("The owner name is reserved.", nameof(owner))
            : redis.RunAsync(db => db.StringSetAsync(SlotKey(hunt, slot), owner, lease, When.NotExists));

    /// <inheritdoc />
    public Task<bool> RenewAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        redis.RunAsync(async db => (long)(await db.ScriptEvaluateAsync(RenewScript, [SlotKey(hunt, slot)], [owner, (long)lease.TotalMilliseconds]).ConfigureAwait(false)) == 1);

    /// <inheritdoc />
    public Task CompleteAsync(string hunt, long slot, string owner, TimeSpan keep, CancellationToken cancellationToken) =>
        redis.RunAsync(db => db.ScriptEvaluateAsync(CompleteScript, [SlotKey(hunt, slot)], [owner, (long)keep.TotalMilliseconds]));

    /// <inheritdoc />
    public Task<bool> IsHeldAsync(string hunt, long slot, CancellationToken cancellationToken) =>
        redis.RunAsync(async db => await db.StringGetAsync(SlotKey(hunt, slot)).ConfigureAwait(false) is { IsNull: false } holder && holder != Done);

    private RedisKey SlotKey(string hunt, long slot) => redis.Key($"hunts:slot:{hunt}:{slot}");
}
