namespace DefenderMcp.State;

/// <summary>
/// Where scheduled hunts and their runs live, so a schedule outlives the call that made it (and, when the store is
/// durable, the process). A schedule is per (hunt, tenant): changing one never touches the hunt's schedules on other
/// tenants, which may belong to other callers. Schedules stored in the earlier shape (one per hunt, several tenants) are
/// read as one per tenant. Every method may throw <see cref="StateStoreException"/> with a message fit for a user.
/// </summary>
public interface IHuntScheduleStore
{
    /// <summary>True when what is stored survives a restart of the server.</summary>
    bool IsDurable { get; }

    /// <summary>Every stored schedule, in no particular order.</summary>
    Task<IReadOnlyList<HuntScheduleEntry>> SchedulesAsync(CancellationToken cancellationToken);

    /// <summary>Adds the schedule of its (hunt, tenant), or replaces the one stored; returns the one replaced, if any.</summary>
    Task<HuntScheduleEntry?> SaveScheduleAsync(HuntScheduleEntry schedule, CancellationToken cancellationToken);

    /// <summary>Removes the schedule of <paramref name="hunt"/> on <paramref name="tenant"/> (its runs stay); false when none was stored.</summary>
    Task<bool> RemoveScheduleAsync(string hunt, string tenant, CancellationToken cancellationToken);

    /// <summary>Appends a run, then drops the hunt's oldest runs beyond the retention (never the run just added).</summary>
    Task AddRunAsync(HuntRunEntry run, CancellationToken cancellationToken);

    /// <summary>The kept runs of <paramref name="hunt"/> at or after <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<HuntRunEntry>> RunsAsync(string hunt, DateTimeOffset? since, CancellationToken cancellationToken);
}
