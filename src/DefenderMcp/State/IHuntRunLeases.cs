namespace DefenderMcp.State;

/// <summary>
/// Decides which process runs one slot of a scheduled hunt (slot n starts at the schedule's creation plus n intervals).
/// A claim is a lease that expires unless its owner renews it, so when a replica dies mid-run its lease lapses and
/// another replica takes the slot; a completed slot is never claimed again. Embedded: one process, every claim granted.
/// </summary>
public interface IHuntRunLeases
{
    /// <summary>True when several processes share the schedules (each then follows the store, not only its own changes).</summary>
    bool IsShared { get; }

    /// <summary>Claims slot <paramref name="slot"/> of <paramref name="hunt"/> for <paramref name="owner"/> for <paramref name="lease"/>; false when it is held or done.</summary>
    Task<bool> TryClaimAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends the lease while the run goes on; false when <paramref name="owner"/> no longer holds it.</summary>
    Task<bool> RenewAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks the slot done for <paramref name="keep"/>, so no replica runs it again.</summary>
    Task CompleteAsync(string hunt, long slot, string owner, TimeSpan keep, CancellationToken cancellationToken);

    /// <summary>
    /// True while some process holds the slot's lease (its run is under way, or its owner died less than a lease ago);
    /// false when it is free, done or lapsed. What <c>get_hunt_results</c> tells an analyst polling for a run.
    /// </summary>
    Task<bool> IsHeldAsync(string hunt, long slot, CancellationToken cancellationToken);
}
