using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Alerts;

/// <summary>The fields of an alert an analyst triages on; upstream strings are clipped.</summary>
public sealed record AlertSummaryOutput(
    string Id,
    string? IncidentId,
    string? Title,
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
    IReadOnlyList<string> MitreTechniques,
    string? WebUrl,
    int EvidenceCount)
{
    /// <summary>Maps a client alert.</summary>
    public static AlertSummaryOutput From(SecurityAlert a) => new(
        a.Id,
        a.IncidentId,
        Text.Clip(a.Title, 300),
        a.Severity,
        a.Status,
        a.Classification,
        a.Determination,
        a.Category,
        a.ServiceSource,
        a.DetectionSource,
        Text.Clip(a.AssignedTo, 256),
        a.CreatedDateTime,
        a.LastUpdateDateTime,
        [.. (a.MitreTechniques ?? []).Take(30)],
        a.AlertWebUrl,
        a.Evidence.Count);
}
