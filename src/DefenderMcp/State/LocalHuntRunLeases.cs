namespace DefenderMcp.State;

/// <summary>The leases of a single process: it is the only runner, so every claim is granted.</summary>
public sealed class LocalHuntRunLeases : IHuntRunLeases
{
    /// <inheritdoc />
    public bool IsShared => false;

    /// <inheritdoc />
    public Task<bool> TryClaimAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <inheritdoc />
    public Task<bool> RenewAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken) => Task.FromResult(true);

    /// <inheritdoc />
    public Task CompleteAsync(string hunt, long slot, string owner, TimeSpan keep, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Always false: nothing is held here; the scheduler of the one process knows its own runs.</summary>
    public Task<bool> IsHeldAsync(string hunt, long slot, CancellationToken cancellationToken) => Task.FromResult(false);
}
