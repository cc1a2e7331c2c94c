namespace DefenderMcp.Client;

/// <summary>The outcome of one indicator in a batch import.</summary>
/// <param name="Id">The stored indicator's id, when it succeeded.</param>
/// <param name="IndicatorValue">The value it refers to.</param>
/// <param name="IsFailed">Whether it failed.</param>
/// <param name="FailureReason">Why, as the service says.</param>
public sealed record IndicatorImportResult(string? Id, string? IndicatorValue, bool IsFailed, string? FailureReason);
