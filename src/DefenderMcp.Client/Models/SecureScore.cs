namespace DefenderMcp.Client;

/// <summary>A daily Microsoft Secure Score snapshot (Graph <c>/security/secureScores</c>).</summary>
public sealed record SecureScore(
    string? Id,
    DateTimeOffset? CreatedDateTime,
    double? CurrentScore,
    double? MaxScore,
    int? ActiveUserCount,
    int? LicensedUserCount,
    IReadOnlyList<string> EnabledServices,
    IReadOnlyList<ComparativeScore> AverageComparativeScores,
    IReadOnlyList<ControlScore> ControlScores);
