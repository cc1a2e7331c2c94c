namespace DefenderMcp.Client;

/// <summary>
/// An alert as the Defender for Endpoint API returns it from the entity pivots (alerts.md): the same alert ids as
/// Graph's alerts_v2, with the device and related user the pivot matched on.
/// </summary>
public sealed record MdeAlert(
    string Id,
    string? IncidentId,
    string? Title,
    string? Severity,
    string? Status,
    string? Category,
    string? ThreatName,
    string? DetectionSource,
    DateTimeOffset? AlertCreationTime,
    string? MachineId,
    string? ComputerDnsName,
    string? RelatedUser,
    IReadOnlyList<string> MitreTechniques);
