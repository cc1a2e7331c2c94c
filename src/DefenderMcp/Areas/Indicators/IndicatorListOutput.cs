namespace DefenderMcp.Areas.Indicators;

/// <summary>Custom indicators.</summary>
public sealed record IndicatorListOutput(string Tenant, int Count, IReadOnlyList<IndicatorOutput> Indicators);
