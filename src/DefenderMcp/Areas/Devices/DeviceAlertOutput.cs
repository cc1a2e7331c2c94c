using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary>An alert on a device, short (get_alert has the rest): the device list stays within the default budget.</summary>
public sealed record DeviceAlertOutput(string Id, string? IncidentId, string? Title, string? Severity, string? Status, DateTimeOffset? CreatedDateTime)
{
    /// <summary>Maps an MDE alert; upstream strings are clipped, ids pass on whole (the reader holds them to what a path takes).</summary>
    public static DeviceAlertOutput From(MdeAlert a) =>
        new(a.Id, a.IncidentId, Text.Clip(a.Title, 300), Text.Clip(a.Severity, 32), Text.Clip(a.Status, 32), a.AlertCreationTime);
}
