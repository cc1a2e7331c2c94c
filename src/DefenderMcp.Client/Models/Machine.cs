namespace DefenderMcp.Client;

/// <summary>A Defender for Endpoint machine.</summary>
public sealed record Machine(
    string Id,
    string? ComputerDnsName,
    string? OsPlatform,
    string? Version,
    string? HealthStatus,
    string? RiskScore,
    string? ExposureLevel,
    string? OnboardingStatus,
    string? DeviceValue,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    string? LastIpAddress,
    string? LastExternalIpAddress,
    string? RbacGroupName,
    string? AadDeviceId,
    IReadOnlyList<string> MachineTags);
