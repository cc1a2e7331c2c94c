using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;
using DefenderMcp.State;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>
/// Runs saved hunts in the background, one schedule per (hunt, tenant): callers limited to different tenants each
/// schedule, see and stop their own schedule of a hunt, never another's. Schedules and runs live in the
/// <see cref="IHuntScheduleStore"/>: in memory by
/// default, in the state folder when one is configured, so that after a restart <see cref="ResumeAsync"/> picks the
/// schedules up again and earlier runs stay readable. A new schedule runs at once, then every interval. Every run
/// writes an audit line; a failing run, store or audit sink is logged (by type, never with data) and the loop goes on.
/// With shared leases (a cluster over Redis, or every process on one state folder) each process follows the stored
/// schedules, and each run of a (hunt, tenant) (slot n starts at the schedule's creation plus n intervals) happens in
/// the one process that claims its lease; a process that dies mid-run stops renewing its lease, and another takes the slot over.
/// </summary>
public sealed class HuntScheduler(
    ServerSettings settings,
    TenantRegistry tenants,
    HuntingResultCache cache,
    SavedHuntLibrary library,
    IHuntScheduleStore store,
    IHuntRunLeases leases,
    AuditLog audit,
    TimeProvider time,
    ILogger<HuntScheduler> logger) : IAsyncDisposable
{
    /// <summary>Rows kept per run.</summary>
    public const int RowsKept = 20;

    /// <summary>The longest one run on one tenant may take before it is recorded as a timeout.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How often a replica of a cluster re-reads the stored schedules (new, changed or removed elsewhere).</summary>
    public static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan LongestLease = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, ScheduledHunt> _schedules = new(StringComparer.Ordinal);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly CancellationTokenSource _stopFollowing = new();
    private Task? _following;
    private int _sharedStateDown;

    // Set once the host has resumed the stored schedules: this process then runs every schedule of a local store.
    private volatile bool _resumed;
    private readonly Lock _fileGate = new();

    // Stored schedules (hunt/tenant, creation) this process cannot run, already logged; only the follow loop uses it.
    private readonly HashSet<(string Key, DateTimeOffset CreatedAt)> _unrestorable = [];

    // Serializes schedule changes, so the store and the running loops always agree.
    private readonly SemaphoreSlim _changes = new(1, 1);

    /// <summary>True when schedules and runs survive a restart.</summary>
    public bool IsDurable => store.IsDurable;

    /// <summary>The schedules running in this process: hunt, interval and tenant.</summary>
    public IReadOnlyList<(string Hunt, TimeSpan Every, string Tenant)> Schedules =>
        [.. _schedules.Values.Select(s => (s.Hunt.Name, s.Every, s.Tenant.Key))];

    /// <summary>
    /// The schedules in the store, whichever process runs them: what a one-shot <c>defender-mcp call</c>, which runs
    /// none itself, reports.
    /// </summary>
    public async Task<IReadOnlyList<(string Hunt, TimeSpan Every, string Tenant)>> StoredSchedulesAsync(CancellationToken cancellationToken) =>
        [.. (await store.SchedulesAsync(cancellationToken).ConfigureAwait(false)).Select(s => (s.Hunt, s.Every, s.Tenant))];

    /// <summary>
    /// Stores and starts (or replaces) the schedule of <paramref name="hunt"/> on each of <paramref name="targets"/>;
    /// its first run starts at once. The hunt's schedules on other tenants (maybe other callers') are not touched.
    /// The caller must have checked that it may act on every target.
    /// </summary>
    public Task ScheduleAsync(SavedHunt hunt, TimeSpan every, IReadOnlyList<TenantSettings> targets, HuntingRun run, CancellationToken cancellationToken) =>
        ChangeAsync(hunt, every, targets, run, start: true, cancellationToken);

    /// <summary>
    /// Stores (or replaces) the schedules as <see cref="ScheduleAsync"/> does, but starts no run in this process: for
    /// <c>defender-mcp call</c>, which exits with its answer. A server following the same durable store runs them.
    /// </summary>
    public Task StoreAsync(SavedHunt hunt, TimeSpan every, IReadOnlyList<TenantSettings> targets, HuntingRun run, CancellationToken cancellationToken) =>
        ChangeAsync(hunt, every, targets, run, start: false, cancellationToken);

    private async Task ChangeAsync(SavedHunt hunt, TimeSpan every, IReadOnlyList<TenantSettings> targets, HuntingRun run, bool start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hunt);
        ArgumentNullException.ThrowIfNull(targets);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Whole milliseconds: what every store keeps, so a replica that follows the store sees the same schedule.
            var created = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
            foreach (var target in targets)
            {
                var entry = new HuntScheduleEntry(hunt.Name, target.Key, every, created);
                await store.SaveScheduleAsync(entry, cancellationToken).ConfigureAwait(false);
                if (start)
                {
                    await StartAsync(new ScheduledHunt(hunt, every, target, run, created), created).ConfigureAwait(false);
                }
                else if (_schedules.TryRemove(entry.Key, out var replaced))
                {
                    // Replaced in the store: the loop of the old schedule must not run on here.
                    await StopAsync(replaced).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Removes the schedules of <paramref name="name"/> on <paramref name="tenants"/> from the store and stops them;
    /// its schedules on other tenants run on. Returns the tenants it was scheduled on, of those.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnscheduleAsync(string name, IReadOnlyList<string> tenants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stopped = new List<string>();
            foreach (var tenant in tenants)
            {
                var removed = await store.RemoveScheduleAsync(name, tenant, cancellationToken).ConfigureAwait(false);
                if (_schedules.TryRemove(HuntScheduleEntry.SlotName(name, tenant), out var schedule))
                {
                    await StopAsync(schedule).ConfigureAwait(false);
                    removed = true;
                }

                if (removed)
                {
                    stopped.Add(tenant);
                }
            }

            return stopped;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Runs of <paramref name="name"/> at or after <paramref name="since"/>, newest first; unreadable ones are skipped.</summary>
    public async Task<IReadOnlyList<HuntRunRecord>> ResultsAsync(string name, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var entries = await store.RunsAsync(name, since, cancellationToken).ConfigureAwait(false);
        var runs = new List<HuntRunRecord>(entries.Count);
        foreach (var entry in entries)
        {
            if (Read(entry) is { } record)
            {
                runs.Add(record);
            }
            else
            {
                logger.LogWarning("Skipped a stored run of scheduled hunt {Hunt} that cannot be read", name);
            }
        }

        return runs;
    }

    /// <summary>
    /// Whether a run of <paramref name="name"/> on the tenants <paramref name="visible"/> accepts is under way and when
    /// the next is due; its schedules on other tenants are left out, as if they did not exist. A run is known from this
    /// process's own loop, or with shared leases from the lease of the current (or previous, for a run that outlasts
    /// its interval) slot, wherever it runs; with a local store it is unknown (null) in a process that runs no
    /// schedules (<c>defender-mcp call</c>), or when the leases cannot be read. The next run is the next slot's start
    /// with shared leases, this process's next due time otherwise.
    /// </summary>
    public async Task<HuntScheduleStatus> StatusAsync(string name, Func<string, bool> visible, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visible);
        var entries = (await store.SchedulesAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.Hunt == name && visible(s.Tenant))
            .OrderBy(s => s.Tenant, StringComparer.Ordinal)
            .ToList();
        var now = time.GetUtcNow();
        if (entries.Count == 0)
        {
            var locals = _schedules.Values.Where(s => s.Hunt.Name == name && visible(s.Tenant.Key)).ToList();
            return new HuntScheduleStatus(null, await RunInProgressAsync(null, locals.FirstOrDefault(s => s.IsRunning) ?? locals.FirstOrDefault(), now, cancellationToken).ConfigureAwait(false), null);
        }

        var parts = new List<(string Tenant, bool? Running, string Sentence)>(entries.Count);
        foreach (var entry in entries)
        {
            _schedules.TryGetValue(entry.Key, out var local);
            var running = await RunInProgressAsync(entry, local, now, cancellationToken).ConfigureAwait(false);
            if (_resumed && (local is null || local.CreatedAt != entry.CreatedAt) && TryRestore(entry).Why is { } why)
            {
                // Stored but run by no server with this configuration: a next run would be a promise nobody keeps.
                parts.Add((entry.Tenant, false, $"every {HuntScheduleStatus.Interval(entry.Every)}, not running: {why} (schedule it again or unschedule it)"));
                continue;
            }

            DateTimeOffset? next = leases.IsShared
                ? entry.CreatedAt + ((SlotAt(entry.CreatedAt, entry.Every, now) + 1) * entry.Every)
                : local is not null && local.CreatedAt == entry.CreatedAt ? local.NextDue : null;
            parts.Add((entry.Tenant, running, HuntScheduleStatus.Sentence(entry.Every, next, now)));
        }

        bool? anyRunning = parts.Any(p => p.Running == true) ? true : parts.Any(p => p.Running is null) ? null : false;
        // One sentence when every tenant's schedule reads the same (scheduled together); otherwise one per tenant.
        var sentence = parts.Select(p => p.Sentence).Distinct(StringComparer.Ordinal).Count() == 1
            ? parts[0].Sentence
            : string.Join("; ", parts.Select(p => $"{p.Tenant}: {p.Sentence}"));
        return new HuntScheduleStatus([.. parts.Select(p => p.Tenant)], anyRunning, sentence);
    }

    /// <summary>
    /// Starts every stored schedule that is not running yet: it runs one interval after its last recorded run, or at
    /// once when that is past. A schedule whose hunt, tenant or tier is gone, or whose query the guard now refuses, is
    /// logged and left stored but not run. Never throws for a store problem: the server serves on without schedules.
    /// </summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        _resumed = true;
        if (leases.IsShared)
        {
            // Shared (a cluster, or processes on one state folder): schedules made, changed or removed by any process
            // are followed here too. The first look is made now, so the stored schedules run once the server serves.
            if (_following is null)
            {
                await FollowOnceAsync(cancellationToken).ConfigureAwait(false);
                _following = Task.Run(() => FollowAsync(_stopFollowing.Token), CancellationToken.None);
            }

            return;
        }

        IReadOnlyList<HuntScheduleEntry> stored;
        try
        {
            stored = await store.SchedulesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StateStoreException ex)
        {
            logger.LogError("Scheduled hunts not resumed: {Reason}", ex.Message);
            return;
        }

        foreach (var entry in stored)
        {
            await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // A schedule made since the start is newer than the stored one it replaced.
                if (_schedules.ContainsKey(entry.Key) || Restore(entry) is not { } schedule)
                {
                    continue;
                }

                var last = (await store.RunsAsync(entry.Hunt, null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Tenant == entry.Tenant)?.RunAt;
                var now = time.GetUtcNow();
                // Within one interval from now, whatever the stored time says (a clock moved back, an edited row).
                var due = last is { } at && at + entry.Every > now ? Min(at + entry.Every, now + entry.Every) : now;
                await StartAsync(schedule, due).ConfigureAwait(false);
                logger.LogInformation("Resumed scheduled hunt {Hunt} every {Every} on one tenant", entry.Hunt, entry.Every);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError("Scheduled hunt {Hunt} not resumed: {Reason}", entry.Hunt, ex is StateStoreException ? ex.Message : ex.GetType().Name);
            }
            finally
            {
                _changes.Release();
            }
        }
    }

    /// <summary>Stops the loops of this process; the stored schedules stay for the next start.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopFollowing.CancelAsync().ConfigureAwait(false);
        try
        {
            await (_following ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: following ends by cancellation.
        }

        await _changes.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var name in _schedules.Keys.ToList())
            {
                if (_schedules.TryRemove(name, out var schedule))
                {
                    await StopAsync(schedule).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task<bool?> RunInProgressAsync(HuntScheduleEntry? entry, ScheduledHunt? local, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (local is { IsRunning: true })
        {
            return true;
        }

        if (!leases.IsShared)
        {
            // A local store's schedules run only in this process: known when it runs them (hosted), or runs this one.
            return local is not null || _resumed ? false : null;
        }

        if (entry is null)
        {
            // Unscheduled: no slot is claimed any more (a replica stops a removed schedule's run when it follows).
            return false;
        }

        var slot = SlotAt(entry.CreatedAt, entry.Every, now);
        try
        {
            return await leases.IsHeldAsync(entry.Key, slot, cancellationToken).ConfigureAwait(false)
                || await leases.IsHeldAsync(entry.Key, slot - 1, cancellationToken).ConfigureAwait(false);
        }
        catch (StateStoreException ex)
        {
            logger.LogWarning("Whether scheduled hunt {Hunt} runs now is unknown: {Reason}", entry.Hunt, ex.Message);
            return null;
        }
    }

    private ScheduledHunt? Restore(HuntScheduleEntry entry)
    {
        var (schedule, why) = TryRestore(entry);
        if (why is not null)
        {
            logger.LogWarning("Scheduled hunt {Hunt} not resumed: {Reason}", entry.Hunt, why);
        }

        return schedule;
    }

    // The schedule this process can run from a stored entry, or why it cannot (its hunt, interval, tenants or query).
    private (ScheduledHunt? Schedule, string? Why) TryRestore(HuntScheduleEntry entry)
    {
        if (library.Find(entry.Hunt) is not { } hunt)
        {
            return (null, "no saved hunt of that name");
        }

        if (entry.Every < settings.HuntScheduleMinimum || entry.Every > ScheduleHuntTool.LongestInterval)
        {
            return (null, "its interval is outside the allowed range");
        }

        // Keys are echoed only when configured: a stored row is not trusted to name a tenant safely.
        if (settings.FindTenant(entry.Tenant) is not { } tenant || tenant.Policy.Actions < ActionTier.Respond)
        {
            return (null, "its tenant is no longer configured at the respond tier");
        }

        try
        {
            return (new ScheduledHunt(hunt, entry.Every, tenant, HuntingRun.Prepare(hunt.Query, HuntingTimespan.Parse(hunt.Timespan)), entry.CreatedAt), null);
        }
        catch (ToolException ex)
        {
            return (null, $"its query or timespan is refused ({ex.Code})");
        }
    }

    private async Task StartAsync(ScheduledHunt schedule, DateTimeOffset firstDue)
    {
        if (_schedules.TryRemove(schedule.Key, out var previous))
        {
            await StopAsync(previous).ConfigureAwait(false);
        }

        schedule.NextDue = firstDue;
        schedule.Loop = Task.Run(() => leases.IsShared ? SharedLoopAsync(schedule) : LoopAsync(schedule, firstDue));
        _schedules[schedule.Key] = schedule;
    }

    private static async Task StopAsync(ScheduledHunt schedule)
    {
        await schedule.Stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await (schedule.Loop ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the loop ends by cancellation.
        }

        schedule.Stop.Dispose();
    }

    private async Task LoopAsync(ScheduledHunt schedule, DateTimeOffset due)
    {
        var stop = schedule.Stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // The wait is at most one interval (7 days) and ends at once when the schedule stops.
                var wait = due - time.GetUtcNow();
                wait = wait > schedule.Every ? schedule.Every : wait;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stop).ConfigureAwait(false);
                }

                var started = time.GetUtcNow();
                due = started + schedule.Every;
                schedule.NextDue = due;
                await RunTenantAsync(schedule, null, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Unscheduled, replaced, or the server stops.
        }
        catch (Exception ex)
        {
            // Not expected (each run is guarded); logged rather than lost in an unobserved task.
            logger.LogError("Scheduled hunt {Hunt} stopped after {ExceptionType}", schedule.Hunt.Name, ex.GetType().FullName);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    // Slot n of a schedule begins at its creation plus n intervals. A clock a little behind the one that made the
    // schedule counts slot 0; a creation time far ahead (a clock set back, an edited row) counts negative slots, which
    // still move on every interval instead of stalling the schedule until that time.
    private static long SlotAt(ScheduledHunt schedule, DateTimeOffset now) => SlotAt(schedule.CreatedAt, schedule.Every, now);

    private static long SlotAt(DateTimeOffset createdAt, TimeSpan every, DateTimeOffset now)
    {
        var slot = (long)Math.Floor((now - createdAt) / every);
        return slot == -1 ? 0 : slot;
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan low, TimeSpan high) => value < low ? low : value > high ? high : value;

    /// <summary>
    /// Shared leases: every <see cref="FollowInterval"/>, starts the stored schedules this process does not run yet (or
    /// that changed), and stops those removed from the store. A store that cannot be read is logged once per outage.
    /// </summary>
    private async Task FollowAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(FollowInterval, time, stop).ConfigureAwait(false);
            await FollowOnceAsync(stop).ConfigureAwait(false);
        }
    }

    // One look at the store: starts what is new or changed, stops what was removed.
    private async Task FollowOnceAsync(CancellationToken stop)
    {
        try
        {
            var stored = await store.SchedulesAsync(stop).ConfigureAwait(false);
            await _changes.WaitAsync(stop).ConfigureAwait(false);
            try
            {
                foreach (var name in _schedules.Keys.Where(k => stored.All(s => s.Key != k)).ToList())
                {
                    if (_schedules.TryRemove(name, out var removed))
                    {
                        await StopAsync(removed).ConfigureAwait(false);
                    }
                }

                foreach (var entry in stored)
                {
                    if (_schedules.TryGetValue(entry.Key, out var running) && running.CreatedAt == entry.CreatedAt)
                    {
                        continue;
                    }

                    // A stored schedule that cannot run here is logged once, not on every look at the store.
                    if (!_unrestorable.Contains((entry.Key, entry.CreatedAt)))
                    {
                        if (Restore(entry) is { } schedule)
                        {
                            await StartAsync(schedule, entry.CreatedAt).ConfigureAwait(false);
                        }
                        else
                        {
                            _unrestorable.Add((entry.Key, entry.CreatedAt));
                        }
                    }
                }
            }
            finally
            {
                _changes.Release();
            }

            SharedStateBack();
        }
        catch (StateStoreException ex)
        {
            SharedStateDown(ex);
        }
    }

    /// <summary>
    /// A cluster: polls the schedule's current slot and runs it when this replica claims its lease (the lease is
    /// renewed during the run, then the slot is marked done). A slot held or done elsewhere is left to that replica.
    /// </summary>
    private async Task SharedLoopAsync(ScheduledHunt schedule)
    {
        var stop = schedule.Stop.Token;
        var lease = Clamp(schedule.Every, TimeSpan.FromSeconds(1), LongestLease);
        var tick = Clamp(schedule.Every / 4, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        var completed = long.MinValue;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var slot = SlotAt(schedule, time.GetUtcNow());
                if (slot > completed)
                {
                    try
                    {
                        if (await leases.TryClaimAsync(schedule.Key, slot, _owner, lease, stop).ConfigureAwait(false))
                        {
                            completed = slot;
                            if (SlotAt(schedule, time.GetUtcNow()) > slot)
                            {
                                // Granted after the slot's interval ended (this replica stalled between reading the clock and
                                // claiming): a lease that lapsed at that end may still be running it elsewhere, and the next
                                // slot is due now. It is marked done unrun; the current slot is claimed at once.
                                await leases.CompleteAsync(schedule.Key, slot, _owner, schedule.Every + schedule.Every + lease, stop).ConfigureAwait(false);
                                logger.LogWarning("Scheduled hunt {Hunt} skipped a run: its lease came after its interval ended (a slow replica)", schedule.Hunt.Name);
                                continue;
                            }

                            await RunClaimedAsync(schedule, slot, lease, stop).ConfigureAwait(false);
                        }

                        SharedStateBack();
                    }
                    catch (StateStoreException ex)
                    {
                        SharedStateDown(ex);
                    }
                }

                await Task.Delay(tick, time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Unscheduled, replaced, or the server stops.
        }
        catch (Exception ex)
        {
            logger.LogError("Scheduled hunt {Hunt} stopped after {ExceptionType}", schedule.Hunt.Name, ex.GetType().FullName);
        }
    }

    private async Task RunClaimedAsync(ScheduledHunt schedule, long slot, TimeSpan lease, CancellationToken stop)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var renewing = Task.Run(
            async () =>
            {
                while (!running.Token.IsCancellationRequested)
                {
                    await Task.Delay(lease / 3, time, running.Token).ConfigureAwait(false);
                    if (!await leases.RenewAsync(schedule.Key, slot, _owner, lease, running.Token).ConfigureAwait(false))
                    {
                        logger.LogWarning("Scheduled hunt {Hunt} lost its lease during a run", schedule.Hunt.Name);
                        return;
                    }
                }
            },
            CancellationToken.None);
        try
        {
            await RunTenantAsync(schedule, slot, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped mid-run (the server shuts down, or the schedule changed): the slot is handed back at once, so a
            // replica that goes on can run it now rather than after the lease lapses (or never, for a short interval).
            await HandBackAsync(schedule, slot).ConfigureAwait(false);
            throw;
        }
        finally
        {
            await running.CancelAsync().ConfigureAwait(false);
            try
            {
                await renewing.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or StateStoreException)
            {
                // The run is over; a renewal cut short or refused changes nothing now.
            }
        }

        await leases.CompleteAsync(schedule.Key, slot, _owner, schedule.Every + schedule.Every + lease, stop).ConfigureAwait(false);
    }

    // A lease renewed to a millisecond is a lease given up: the next claim of the slot, by any replica, succeeds.
    private async Task HandBackAsync(ScheduledHunt schedule, long slot)
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await leases.RenewAsync(schedule.Key, slot, _owner, TimeSpan.FromMilliseconds(1), bounded.Token).ConfigureAwait(false);
            logger.LogWarning("Scheduled hunt {Hunt} stopped during a run; its slot was handed back for another replica to run", schedule.Hunt.Name);
        }
        catch (Exception ex) when (ex is StateStoreException or OperationCanceledException)
        {
            // The lease lapses on its own (at most 30 s).
        }
    }

    private void SharedStateDown(StateStoreException ex)
    {
        if (Interlocked.Exchange(ref _sharedStateDown, 1) == 0)
        {
            logger.LogError("Scheduled hunts paused: {Reason}", ex.Message);
        }
    }

    private void SharedStateBack()
    {
        if (Interlocked.Exchange(ref _sharedStateDown, 0) == 1)
        {
            logger.LogWarning("Scheduled hunts resumed: the shared state store answers again");
        }
    }

    /// <summary>One run on the schedule's tenant, marked as under way meanwhile (<c>run_in_progress</c>).</summary>
    private async Task RunTenantAsync(ScheduledHunt schedule, long? slot, CancellationToken stop)
    {
        schedule.IsRunning = true;
        try
        {
            await RecordAsync(await RunOnceAsync(schedule, schedule.Tenant, slot, stop).ConfigureAwait(false), stop).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            // Nothing a run or its bookkeeping throws may end the schedule or reach the host.
            logger.LogError("Scheduled hunt {Hunt} run failed with {ExceptionType}", schedule.Hunt.Name, ex.GetType().FullName);
        }
        finally
        {
            schedule.IsRunning = false;
        }
    }

    // In a cluster the audit line names the run's slot, so that each slot can be seen to run once across the replicas.
    private async Task<HuntRunRecord> RunOnceAsync(ScheduledHunt schedule, TenantSettings tenant, long? slot, CancellationToken stop)
    {
        var started = time.GetUtcNow();
        using var timeout = new CancellationTokenSource(RunTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        try
        {
            var result = await tenants.GetClient(tenant).RunHuntingQueryAsync(schedule.Run.Query, schedule.Run.Timespan.Iso, linked.Token).ConfigureAwait(false);
            var cached = await cache.AddAsync(tenant.Key, schedule.Run.Query, schedule.Run.Timespan.Iso, result, linked.Token).ConfigureAwait(false);
            // Rows are bounded by the hunting budget and by the hunt's whole retention, so the newest run always fits.
            var budget = (int)Math.Min(settings.HuntingByteBudget, settings.HuntRetention.BytesPerHunt / 2);
            var page = RowPager.Page(result, 0, RowsKept, null, budget);
            Audit(schedule, tenant, slot, "success", null, result.Rows.Count);
            return new HuntRunRecord(schedule.Hunt.Name, tenant.Key, started, result.Rows.Count, page.Rows, cached?.ResultId, null);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The query may have reached Defender: the trail says this run began and was cut short.
            Audit(schedule, tenant, slot, "cancelled", null, 0);
            throw;
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            var (code, message, _) = ToolErrors.Describe(ex);
            if (code == ErrorCodes.InternalError)
            {
                logger.LogError("Scheduled hunt {Hunt} failed with {ExceptionType}", schedule.Hunt.Name, ex.GetType().FullName);
            }

            Audit(schedule, tenant, slot, "error", code, 0);
            return new HuntRunRecord(schedule.Hunt.Name, tenant.Key, started, null, [], null, $"{code}: {message}");
        }
    }

    private void Audit(ScheduledHunt schedule, TenantSettings tenant, long? slot, string outcome, string? errorCode, long rows)
    {
        try
        {
            audit.Write(new AuditRecord
            {
                Event = "scheduled_hunt_run",
                Tool = "schedule_hunt",
                Tenants = [tenant.Key],
                Parameters = new System.Text.Json.Nodes.JsonObject { ["name"] = schedule.Hunt.Name, ["query"] = schedule.Run.Query, ["timespan"] = schedule.Run.Timespan.Iso },
                Outcome = outcome,
                ErrorCode = errorCode,
                Counts = new Dictionary<string, long> { ["rows"] = rows },
                Notes = slot is { } n ? [$"slot={n}"] : null,
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            logger.LogError("Audit of scheduled hunt {Hunt} failed with {ExceptionType}", schedule.Hunt.Name, ex.GetType().FullName);
        }
    }

    private HuntRunRecord? Read(HuntRunEntry entry)
    {
        try
        {
            var record = JsonSerializer.Deserialize<HuntRunRecord>(entry.Payload, ToolJson.Options);
            return record is { Hunt: not null, Tenant: not null, Rows: not null } && record.Hunt == entry.Hunt ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task RecordAsync(HuntRunRecord record, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(record, ToolJson.Options);
        try
        {
            await store.AddRunAsync(new HuntRunEntry(record.Hunt, record.Tenant, record.RunAt, payload), cancellationToken).ConfigureAwait(false);
        }
        catch (StateStoreException ex)
        {
            logger.LogError("Run of scheduled hunt {Hunt} not stored: {Reason}", record.Hunt, ex.Message);
        }

        if (settings.HuntResultsFolder is not { } folder)
        {
            return;
        }

        try
        {
            lock (_fileGate)
            {
                var path = Path.Combine(folder, record.Hunt + ".jsonl");
                var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(path, options);
                stream.Write(Encoding.UTF8.GetBytes(payload + "\n"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not append a hunt result: {Reason}", ex.GetType().Name);
        }
    }

    private sealed class ScheduledHunt(SavedHunt hunt, TimeSpan every, TenantSettings tenant, HuntingRun run, DateTimeOffset createdAt)
    {
        // Read by get_hunt_results while the loop writes them: kept in fields read and written whole.
        private long _nextDueMs;
        private volatile bool _isRunning;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public SavedHunt Hunt { get; } = hunt;

        public TimeSpan Every { get; } = every;

        public TenantSettings Tenant { get; } = tenant;

        /// <summary>The (hunt, tenant) key: of the loop in this process and of the run leases.</summary>
        public string Key { get; } = HuntScheduleEntry.SlotName(hunt.Name, tenant.Key);

        public HuntingRun Run { get; } = run;

        public CancellationTokenSource Stop { get; } = new();

        public Task? Loop { get; set; }

        /// <summary>When the loop runs next (a local store only; shared leases count slots instead).</summary>
        public DateTimeOffset NextDue
        {
            get => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _nextDueMs));
            set => Interlocked.Exchange(ref _nextDueMs, value.ToUnixTimeMilliseconds());
        }

        /// <summary>True while this process runs the hunt on its tenant.</summary>
        public bool IsRunning
        {
            get => _isRunning;
            set => _isRunning = value;
        }
    }
}
