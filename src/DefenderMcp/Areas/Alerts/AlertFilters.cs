namespace DefenderMcp.Areas.Alerts;

/// <summary>
/// Filter values as the list tools' schemas show them (PascalCase, as Defender for Endpoint spells them); accepted in
/// any casing, and sent in Graph's spelling by the client (<see cref="Client.FilterValues"/>).
/// </summary>
public static class AlertFilters
{
    /// <summary>Severities accepted by list tools.</summary>
    public static IReadOnlyList<string> Severities { get; } = ["High", "Medium", "Low", "Informational"];

    /// <summary>Alert statuses accepted by list_alerts.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["New", "InProgress", "Resolved"];
}
