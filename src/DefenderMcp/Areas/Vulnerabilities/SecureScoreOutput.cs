namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>The tenant's latest Microsoft Secure Score, how it compares, and its controls lowest score first.</summary>
public sealed record SecureScoreOutput(
    string Tenant,
    double? CurrentScore,
    double? MaxScore,
    double? Percent,
    DateTimeOffset? CreatedAt,
    int? ActiveUsers,
    int? LicensedUsers,
    IReadOnlyList<string> EnabledServices,
    IReadOnlyList<ComparativeScoreOutput> Comparisons,
    IReadOnlyList<ControlScoreOutput> Controls,
    bool ControlsTruncated);
