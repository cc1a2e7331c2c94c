using DefenderMcp.State;

namespace DefenderMcp.Policy;

/// <summary>
/// Per-tenant hourly write budget: a circuit breaker against a runaway agent. A bulk device action counts each device.
/// The counts live in an <see cref="IActionBudgetStore"/> (this process, or Redis for a cluster, where the budget holds
/// for all replicas together); a store that cannot answer throws <see cref="StateStoreException"/>, and the write is refused.
/// </summary>
public sealed class ActionBudget(IActionBudgetStore store)
{
    /// <summary>
    /// Reserves <paramref name="count"/> actions at once, or none: not allowed, with the time enough of the budget
    /// frees up, when they do not fit in <paramref name="perHour"/>.
    /// </summary>
    public Task<BudgetDecision> TryReserveAsync(string tenant, int perHour, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return store.TryReserveAsync(tenant, perHour, count, cancellationToken);
    }

    /// <summary>Whether <paramref name="count"/> more actions fit now (no reservation), and how many are left.</summary>
    public Task<BudgetDecision> CheckAsync(string tenant, int perHour, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return store.PeekAsync(tenant, perHour, count, cancellationToken);
    }

    /// <summary>Whether one more action fits now, and how many are left.</summary>
    public Task<BudgetDecision> CheckAsync(string tenant, int perHour, CancellationToken cancellationToken) =>
        CheckAsync(tenant, perHour, 1, cancellationToken);
}
