namespace DefenderMcp.Mcp.Results;

/// <summary>A custom detection rule as Defender stored it.</summary>
/// <param name="Id">Rule id.</param>
/// <param name="DisplayName">Name.</param>
/// <param name="Enabled">Whether it runs.</param>
/// <param name="Period">How often it runs.</param>
/// <param name="Severity">Severity of its alerts.</param>
public sealed record DetectionRuleResult(string Id, string? DisplayName, bool? Enabled, string? Period, string? Severity);
