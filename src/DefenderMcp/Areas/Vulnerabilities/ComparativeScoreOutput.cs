namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>An average Secure Score to compare the tenant's with.</summary>
public sealed record ComparativeScoreOutput(string? Basis, double? AverageScore);
