using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Incidents;

/// <summary>The fields of an incident an analyst triages on.</summary>
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
        i.Severity,
        i.Status,
        i.Classification,
        i.Determination,
        Text.Clip(i.AssignedTo, 256),
        i.CreatedDateTime,
        i.LastUpdateDateTime,
        [.. (i.CustomTags ?? []).Concat(i.SystemTags ?? []).Take(30).Select(t => Text.Clip(t, 100)!)],
        i.IncidentWebUrl);
}
