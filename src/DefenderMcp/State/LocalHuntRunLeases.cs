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
}
