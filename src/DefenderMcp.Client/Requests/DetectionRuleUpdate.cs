namespace DefenderMcp.Client;

/// <summary>The fields of a detection rule PATCH (current schema); null fields are left out (unchanged).</summary>
public sealed record DetectionRuleUpdate
{
    /// <summary>New name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>New KQL.</summary>
    public string? QueryText { get; init; }

    /// <summary>New frequency (ISO 8601 duration).</summary>
    public string? Frequency { get; init; }

    /// <summary>New alert severity.</summary>
    public string? Severity { get; init; }

    /// <summary>enabled or disabled.</summary>
    public string? Status { get; init; }
}
