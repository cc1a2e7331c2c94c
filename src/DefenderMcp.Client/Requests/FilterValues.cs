namespace DefenderMcp.Client;

/// <summary>
/// The exact spellings each API filters severity and status by: Graph's enums are camelCase (<c>high</c>,
/// <c>inProgress</c>), Defender for Endpoint's PascalCase (<c>High</c>, <c>InProgress</c>). A filter value may come in
/// any casing; <see cref="Wire"/> turns it into the spelling its API compares against, so no caller has to know which.
/// </summary>
public static class FilterValues
{
    /// <summary>Graph security severities (alerts_v2, incidents).</summary>
    public static IReadOnlyList<string> GraphSeverities { get; } = ["informational", "low", "medium", "high"];

    /// <summary>Graph alert statuses.</summary>
    public static IReadOnlyList<string> GraphAlertStatuses { get; } = ["new", "inProgress", "resolved"];

    /// <summary>Graph incident statuses.</summary>
    public static IReadOnlyList<string> GraphIncidentStatuses { get; } = ["active", "inProgress", "resolved", "redirected", "awaitingAction"];

    /// <summary>Defender for Endpoint machine health statuses.</summary>
    public static IReadOnlyList<string> HealthStatuses { get; } = ["Active", "Inactive", "ImpairedCommunication", "NoSensorData", "NoSensorDataImpairedCommunication", "Unknown"];

    /// <summary>Defender for Endpoint machine risk scores.</summary>
    public static IReadOnlyList<string> RiskScores { get; } = ["None", "Informational", "Low", "Medium", "High"];

    /// <summary>Defender for Endpoint machine exposure levels.</summary>
    public static IReadOnlyList<string> ExposureLevels { get; } = ["None", "Low", "Medium", "High"];

    /// <summary>
    /// The spelling in <paramref name="spellings"/> that <paramref name="value"/> names, compared without case; null
    /// stays null, and a value that names none is invalid_input naming <paramref name="field"/>.
    /// </summary>
    public static string? Wire(string? value, IReadOnlyList<string> spellings, string field)
    {
        ArgumentNullException.ThrowIfNull(spellings);
        return value is null
            ? null
            : spellings.FirstOrDefault(s => string.Equals(s, value, StringComparison.OrdinalIgnoreCase))
                ?? throw new DefenderApiException(DefenderErrorCode.InvalidInput, $"The {field} filter must be one of {string.Join(", ", spellings)} (any casing).");
    }
}
