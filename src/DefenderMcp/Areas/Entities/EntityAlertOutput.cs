using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Entities;

/// <summary>An alert an entity pivot found: enough to open it with get_alert or its incident with get_incident.</summary>
public sealed record EntityAlertOutput(
    string Id,
    string? IncidentId,
    string? Title,
    string? Severity,
    string? Status,
    string? Category,
    string? ThreatName,
    DateTimeOffset? CreatedDateTime,
    string? DeviceId,
    string? DeviceName,
    string? RelatedUser,
    IReadOnlyList<string> MitreTechniques)
{
    /// <summary>Maps an MDE alert; upstream strings are clipped, ids pass on whole (the reader holds them to what a path takes).</summary>
    public static EntityAlertOutput From(MdeAlert a) => new(
        a.Id,
        a.IncidentId,
        Text.Clip(a.Title, 300),
        Text.Clip(a.Severity, 32),
        Text.Clip(a.Status, 32),
        Text.Clip(a.Category, 64),
        Text.Clip(a.ThreatName, 256),
        a.AlertCreationTime,
        a.MachineId,
        Text.Clip(a.ComputerDnsName, 255),
        Text.Clip(a.RelatedUser, 256),
        [.. a.MitreTechniques.Take(30).Select(m => Text.Clip(m, 32)!)]);
}
