namespace DefenderMcp.Client;

/// <summary>
/// A custom detection rule to create, in the current Graph schema (defender-api §2.4: client-provided <c>id</c>,
/// <c>status</c>, <c>schedule.frequency</c>, <c>alertTemplate.tactics</c>); the client builds and checks the body.
/// </summary>
public sealed record DetectionRuleRequest
{
    /// <summary>The client-provided unique id, e.g. <c>office-encoded-powershell</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The rule's name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>What the rule detects (optional).</summary>
    public string? Description { get; init; }

    /// <summary>enabled or disabled.</summary>
    public string Status { get; init; } = "enabled";

    /// <summary>The KQL that defines the detection.</summary>
    public required string QueryText { get; init; }

    /// <summary>How often it runs, an ISO 8601 duration from <see cref="DetectionRuleValues.Frequencies"/>.</summary>
    public required string Frequency { get; init; }

    /// <summary>Title of the alerts it raises.</summary>
    public required string AlertTitle { get; init; }

    /// <summary>Description of the alerts (the rule's name when null).</summary>
    public string? AlertDescription { get; init; }

    /// <summary>informational, low, medium or high.</summary>
    public required string Severity { get; init; }

    /// <summary>What an analyst should do about an alert (optional).</summary>
    public string? RecommendedActions { get; init; }

    /// <summary>The MITRE ATT&amp;CK tactic, e.g. Execution (optional).</summary>
    public string? Tactic { get; init; }

    /// <summary>MITRE technique ids under <see cref="Tactic"/>, e.g. T1059.001.</summary>
    public IReadOnlyList<string>? Techniques { get; init; }
}
