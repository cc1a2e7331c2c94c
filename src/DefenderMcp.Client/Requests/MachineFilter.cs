namespace DefenderMcp.Client;

/// <summary>Machine list filter: structured fields only, never raw OData.</summary>
public sealed record MachineFilter
{
    /// <summary>computerDnsName starts with this.</summary>
    public string? NamePrefix { get; init; }

    /// <summary>healthStatus equals this (<see cref="FilterValues.HealthStatuses"/>, any casing).</summary>
    public string? HealthStatus { get; init; }

    /// <summary>riskScore equals this (<see cref="FilterValues.RiskScores"/>, any casing).</summary>
    public string? RiskScore { get; init; }

    /// <summary>exposureLevel equals this (<see cref="FilterValues.ExposureLevels"/>, any casing).</summary>
    public string? ExposureLevel { get; init; }

    /// <summary>osPlatform equals this.</summary>
    public string? OsPlatform { get; init; }

    /// <summary>machineTags contains this.</summary>
    public string? Tag { get; init; }

    /// <summary>lastSeen after this.</summary>
    public DateTimeOffset? LastSeenAfter { get; init; }
}
