using System.Text.RegularExpressions;

namespace DefenderMcp.Client;

/// <summary>
/// The values a custom detection rule may take in the current Graph schema (defender-api §2.4), and the members that
/// were removed on 2026-10-01 (<c>isEnabled</c>, <c>schedule.period</c>, <c>detectionAction.responseActions</c>).
/// </summary>
public static partial class DetectionRuleValues
{
    /// <summary>Longest rule id.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Longest query.</summary>
    public const int MaxQueryLength = 10_000;

    /// <summary>
    /// Run frequencies offered (ISO 8601 durations; the docs' examples use PT1H and P1D). Near-real-time rules are not
    /// offered: the docs show no literal for a zero frequency.
    /// </summary>
    public static IReadOnlyList<string> Frequencies { get; } = ["PT1H", "PT3H", "PT12H", "P1D"];

    /// <summary>Statuses a caller may set (autoDisabled is the service's own).</summary>
    public static IReadOnlyList<string> Statuses { get; } = ["enabled", "disabled"];

    /// <summary>Alert severities.</summary>
    public static IReadOnlyList<string> Severities { get; } = ["informational", "low", "medium", "high"];

    /// <summary>MITRE ATT&amp;CK tactics.</summary>
    public static IReadOnlyList<string> Tactics { get; } =
    [
        "Reconnaissance", "ResourceDevelopment", "InitialAccess", "Execution", "Persistence", "PrivilegeEscalation", "DefenseEvasion",
        "CredentialAccess", "Discovery", "LateralMovement", "Collection", "CommandAndControl", "Exfiltration", "Impact",
    ];

    /// <summary>A rule id: letters, digits and hyphens (the docs' example is <c>office-encoded-powershell</c>).</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")]
    public static partial Regex IdPattern();

    /// <summary>A MITRE technique id, e.g. T1059 or T1059.001.</summary>
    [GeneratedRegex("^T[0-9]{4}(\\.[0-9]{3})?$")]
    public static partial Regex TechniquePattern();

    /// <summary>A rule id made from a display name: lower case, runs of other characters as one hyphen.</summary>
    public static string IdFrom(string displayName)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        var id = NonIdRun().Replace(displayName.ToLowerInvariant(), "-").Trim('-');
        return id.Length == 0 ? "rule" : id[..Math.Min(id.Length, MaxIdLength)].TrimEnd('-');
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonIdRun();
}
