namespace DefenderMcp.Areas.Indicators;

/// <summary>Custom indicators, one page of them.</summary>
/// <param name="Tenant">The tenant key.</param>
/// <param name="Count">Indicators on this page.</param>
/// <param name="Indicators">The page, in the service's order (oldest first).</param>
/// <param name="Offset">Indicators passed over before this page.</param>
/// <param name="NextOffset">The offset of the next page, or null when this page is the last.</param>
public sealed record IndicatorListOutput(string Tenant, int Count, IReadOnlyList<IndicatorOutput> Indicators, int Offset, int? NextOffset);
