namespace DefenderMcp.Client;

/// <summary>An average Secure Score to compare with (e.g. all tenants, tenants of the same size).</summary>
public sealed record ComparativeScore(string? Basis, double? AverageScore);
