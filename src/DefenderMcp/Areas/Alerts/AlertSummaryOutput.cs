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
        Text.Clip(a.IncidentId, 256),
        Text.Clip(a.Title, 300),
        Text.Clip(a.Severity, 64),
        Text.Clip(a.Status, 64),
        Text.Clip(a.Classification, 64),
        Text.Clip(a.Determination, 64),
        Text.Clip(a.Category, 64),
        Text.Clip(a.ServiceSource, 64),
        Text.Clip(a.DetectionSource, 64),
        Text.Clip(a.AssignedTo, 256),
        a.CreatedDateTime,
        a.LastUpdateDateTime,
        [.. (a.MitreTechniques ?? []).Take(30).Select(t => Text.Clip(t, 32)!)],
        Text.Clip(a.AlertWebUrl, 2048),
        a.Evidence.Count);
}
