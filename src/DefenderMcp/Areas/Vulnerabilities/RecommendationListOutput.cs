namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>The security recommendations of the tenant or of one device.</summary>
public sealed record RecommendationListOutput(string Tenant, string? DeviceId, string? DeviceName, int Count, IReadOnlyList<RecommendationOutput> Recommendations, bool Truncated);
