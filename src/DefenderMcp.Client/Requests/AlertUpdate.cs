namespace DefenderMcp.Client;

/// <summary>The fields of an alert PATCH; null fields are left out (unchanged).</summary>
public sealed record AlertUpdate
{
    /// <summary>new, inProgress, resolved.</summary>
    public string? Status { get; init; }

    /// <summary>Owner (UPN). Empty is refused: Graph documents only null as "no owner", and null here means unchanged.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>unknown, falsePositive, truePositive, informationalExpectedActivity.</summary>
    public string? Classification { get; init; }

    /// <summary>Graph alertDetermination value.</summary>
    public string? Determination { get; init; }
}
