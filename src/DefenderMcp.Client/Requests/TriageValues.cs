namespace DefenderMcp.Client;

/// <summary>The values an incident or alert update may set (defender-api §2.2, §2.3), checked before a PATCH is built.</summary>
public static class TriageValues
{
    /// <summary>Longest comment on an incident.</summary>
    public const int MaxCommentLength = 4000;

    /// <summary>Longest assignee (UPN).</summary>
    public const int MaxAssigneeLength = 256;

    /// <summary>Most custom tags on an incident.</summary>
    public const int MaxTags = 50;

    /// <summary>Longest custom tag.</summary>
    public const int MaxTagLength = 100;

    /// <summary>
    /// Incident statuses that can be set (security-incident-update.md lists active, resolved, redirected; inProgress and
    /// awaitingAction are statuses an incident can have but are not settable).
    /// </summary>
    public static IReadOnlyList<string> IncidentStatuses { get; } = ["active", "resolved", "redirected"];

    /// <summary>Alert statuses that can be set.</summary>
    public static IReadOnlyList<string> AlertStatuses { get; } = ["new", "inProgress", "resolved"];

    /// <summary>Classifications.</summary>
    public static IReadOnlyList<string> Classifications { get; } = ["unknown", "falsePositive", "truePositive", "informationalExpectedActivity"];

    /// <summary>Determinations, in the first documented spelling of each.</summary>
    public static IReadOnlyList<string> Determinations { get; } = ["unknown", "apt", "malware", "securityPersonnel", "securityTesting", "unwantedSoftware", "other", "multiStagedAttack", "compromisedUser", "phishing", "maliciousUserActivity", "clean", "insufficientData", "confirmedUserActivity", "lineOfBusinessApplication"];

    /// <summary>The second documented spellings of four determinations, accepted as well (defender-api §2.2 note).</summary>
    public static IReadOnlyList<string> DeterminationAliases { get; } = ["compromisedAccount", "notMalicious", "notEnoughDataToValidate", "confirmedActivity"];
}
