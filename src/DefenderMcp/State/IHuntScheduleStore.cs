namespace DefenderMcp.State;

/// <summary>
/// Where scheduled hunts and their runs live, so a schedule outlives the call that made it (and, when the store is
/// durable, the process). The embedded stores implement it today; a shared store (Redis) can implement the same
/// contract for several replicas. Every method may throw <see cref="StateStoreException"/> with a message fit for a user.
/// </summary>
public interface IHuntScheduleStore
{
    /// <summary>True when what is stored survives a restart of the server.</summary>
    bool IsDurable { get; }

    /// <summary>Every stored schedule, in no particular order.</summary>
    Task<IReadOnlyList<HuntScheduleEntry>> SchedulesAsync(CancellationToken cancellationToken);

    /// <summary>Adds the schedule of its hunt, or replaces the one stored.</summary>
    Task SaveScheduleAsync(HuntScheduleEntry schedule, CancellationToken cancellationToken);

    /// <summary>Removes the schedule of <paramref name="hunt"/> (its runs stay); false when none was stored.</summary>
    Task<bool> RemoveScheduleAsync(string hunt, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the schedule of <paramref name="hunt"/> with <paramref name="replacement"/> (removes it when null) only
    /// when <paramref name="mayChange"/> accepts the schedule stored at that moment (null when none), in one atomic
    /// step: no other caller or replica can change the schedule between the check and the change, so a check made on
    /// a stale copy (a replica that has not yet followed a schedule made elsewhere) cannot let a change through.
    /// </summary>
    Task<ScheduleChange> ChangeScheduleAsync(string hunt, HuntScheduleEntry? replacement, Func<HuntScheduleEntry?, bool> mayChange, CancellationToken cancellationToken);

    /// <summary>Appends a run, then drops the hunt's oldest runs beyond the retention (never the run just added).</summary>
    Task AddRunAsync(HuntRunEntry run, CancellationToken cancellationToken);

    /// <summary>The kept runs of <paramref name="hunt"/> at or after <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<HuntRunEntry>> RunsAsync(string hunt, DateTimeOffset? since, CancellationToken cancellationToken);
}
