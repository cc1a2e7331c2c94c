namespace DefenderMcp.Client;

/// <summary>A Graph security alert (alerts_v2).</summary>
public sealed record SecurityAlert(
    string Id,
    string? IncidentId,
    string? Title,
    string? Description,
    string? Severity,
    string? Status,
    string? Classification,
    string? Determination,
    string? Category,
    string? ServiceSource,
    string? DetectionSource,
    string? AssignedTo,
    DateTimeOffset? CreatedDateTime,
    DateTimeOffset? LastUpdateDateTime,
    DateTimeOffset? FirstActivityDateTime,
    DateTimeOffset? LastActivityDateTime,
    IReadOnlyList<string> MitreTechniques,
    string? AlertWebUrl,
    string? ThreatDisplayName,
    string? RecommendedActions,
    IReadOnlyList<AlertEvidence> Evidence);
