using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Incidents;

/// <summary>The fields of an incident an analyst triages on; upstream strings are clipped.</summary>
public sealed record IncidentSummaryOutput(
    string Id,
    string? DisplayName,
    string? Severity,
    string? Status,
    string? Classification,
    string? Determination,
    string? AssignedTo,
    DateTimeOffset? CreatedDateTime,
    DateTimeOffset? LastUpdateDateTime,
    IReadOnlyList<string> Tags,
    string? WebUrl)
{
    /// <summary>Maps a client incident.</summary>
    public static IncidentSummaryOutput From(Incident i) => new(
        i.Id,
        Text.Clip(i.DisplayName, 300),
        Text.Clip(i.Severity, 64),
        Text.Clip(i.Status, 64),
        Text.Clip(i.Classification, 64),
        Text.Clip(i.Determination, 64),
        Text.Clip(i.AssignedTo, 256),
        i.CreatedDateTime,
        i.LastUpdateDateTime,
        [.. (i.CustomTags ?? []).Concat(i.SystemTags ?? []).Take(30).Select(t => Text.Clip(t, 100)!)],
        Text.Clip(i.IncidentWebUrl, 2048));
}
