namespace DefenderMcp.State;

/// <summary>What an action budget answered: whether the actions fit, how many are left, and when enough free up.</summary>
/// <param name="Allowed">True when the actions fit (and, for a reservation, were counted).</param>
/// <param name="Remaining">Actions left in the rolling window after this answer.</param>
/// <param name="FreesAt">When enough counted actions leave the window for the asked ones to fit (now when they fit).</param>
public readonly record struct BudgetDecision(bool Allowed, int Remaining, DateTimeOffset FreesAt);
