namespace DefenderMcp.State;

/// <summary>
/// Where the per-tenant hourly write budgets are counted. A reservation is checked and spent in one step, so two
/// replicas (or two calls) can never both take the last slot. Implementations: in memory (one process) and Redis (a
/// cluster). A store that cannot answer throws <see cref="StateStoreException"/>: the caller then refuses the write.
/// </summary>
public interface IActionBudgetStore
{
    /// <summary>Counts <paramref name="count"/> actions for <paramref name="tenant"/> when they fit in <paramref name="perHour"/> in the rolling hour, or none.</summary>
    Task<BudgetDecision> TryReserveAsync(string tenant, int perHour, int count, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="count"/> more actions would fit now, without counting them.</summary>
    Task<BudgetDecision> PeekAsync(string tenant, int perHour, int count, CancellationToken cancellationToken);
}
