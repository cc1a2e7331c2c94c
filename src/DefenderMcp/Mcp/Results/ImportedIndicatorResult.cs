namespace DefenderMcp.Mcp.Results;

/// <summary>The outcome of one indicator of an import.</summary>
/// <param name="Id">The stored indicator's id, when it succeeded.</param>
/// <param name="Value">The value it refers to.</param>
/// <param name="Failed">Whether it failed.</param>
/// <param name="FailureReason">Why, as Defender says.</param>
public sealed record ImportedIndicatorResult(string? Id, string? Value, bool Failed, string? FailureReason);
