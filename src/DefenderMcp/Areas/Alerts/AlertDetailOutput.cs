namespace DefenderMcp.Areas.Alerts;

/// <summary>One alert with its description, recommended actions and flattened evidence.</summary>
public sealed record AlertDetailOutput(
    string Tenant,
    AlertSummaryOutput Alert,
    string? Description,
    string? RecommendedActions,
    string? ThreatDisplayName,
    DateTimeOffset? FirstActivityDateTime,
    DateTimeOffset? LastActivityDateTime,
    IReadOnlyList<EntityOutput> Entities,
    bool EntitiesTruncated);
