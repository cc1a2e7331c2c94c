namespace DefenderMcp.Client;

/// <summary>A security recommendation (<c>/api/recommendations</c>): what to update, upgrade, uninstall or configure, and its impact.</summary>
public sealed record SecurityRecommendation(
    string Id,
    string? Name,
    string? ProductName,
    string? Vendor,
    string? Category,
    string? SubCategory,
    string? RemediationType,
    string? RecommendedVersion,
    string? Status,
    double? SeverityScore,
    long? Weaknesses,
    bool? PublicExploit,
    bool? ActiveAlert,
    long? ExposedMachines,
    long? TotalMachines,
    double? ConfigScoreImpact,
    double? ExposureImpact,
    IReadOnlyList<string> AssociatedThreats);
