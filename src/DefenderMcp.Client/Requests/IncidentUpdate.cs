namespace DefenderMcp.Client;

/// <summary>The fields of an incident PATCH; null fields are left out (unchanged).</summary>
public sealed record IncidentUpdate
{
    /// <summary>active, resolved or redirected (the settable statuses).</summary>
    public string? Status { get; init; }

    /// <summary>Owner (UPN). Empty is refused: Graph documents only null as "no owner", and null here means unchanged.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>unknown, falsePositive, truePositive, informationalExpectedActivity.</summary>
    public string? Classification { get; init; }

    /// <summary>Graph alertDetermination value, e.g. malware, phishing, notMalicious.</summary>
    public string? Determination { get; init; }

    /// <summary>Replaces the whole custom tag list.</summary>
    public IReadOnlyList<string>? CustomTags { get; init; }
}
