namespace DefenderMcp.Client;

/// <summary>A Graph security incident, with its alerts when expanded (empty otherwise) and its comments.</summary>
public sealed record Incident(
    string Id,
    string? DisplayName,
    string? Description,
    string? Status,
    string? Severity,
    string? Classification,
    string? Determination,
    string? AssignedTo,
    DateTimeOffset? CreatedDateTime,
    DateTimeOffset? LastUpdateDateTime,
    string? IncidentWebUrl,
    IReadOnlyList<string> CustomTags,
    IReadOnlyList<string> SystemTags,
    IReadOnlyList<SecurityAlert> Alerts,
    IReadOnlyList<IncidentComment> Comments);
