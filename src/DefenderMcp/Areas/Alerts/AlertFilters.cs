namespace DefenderMcp.Areas.Alerts;

/// <summary>Accepted filter values and their Graph spellings.</summary>
public static class AlertFilters
{
    /// <summary>Severities accepted by list tools.</summary>
    public static IReadOnlyList<string> Severities { get; } = ["High", "Medium", "Low", "Informational"];

    /// <summary>Alert statuses accepted by list_alerts.</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["New", "InProgress", "Resolved"];

    /// <summary>The Graph enum spelling (camelCase) of a canonical value.</summary>
    public static string? ToGraph(string? value) =>
        value is null ? null : char.ToLowerInvariant(value[0]) + value[1..];
}
