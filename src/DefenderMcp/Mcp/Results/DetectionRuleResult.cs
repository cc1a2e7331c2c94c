namespace DefenderMcp.Mcp.Results;

/// <summary>A custom detection rule as Defender stored it.</summary>
/// <param name="Id">Rule id.</param>
/// <param name="DisplayName">Name.</param>
/// <param name="Status">enabled, disabled or autoDisabled.</param>
/// <param name="Frequency">How often it runs (ISO 8601 duration).</param>
/// <param name="Severity">Severity of its alerts.</param>
public sealed record DetectionRuleResult(string Id, string? DisplayName, string? Status, string? Frequency, string? Severity);
