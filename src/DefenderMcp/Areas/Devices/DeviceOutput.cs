using DefenderMcp.Client;

namespace DefenderMcp.Areas.Devices;

/// <summary>A device as reported to the model.</summary>
public sealed record DeviceOutput(string Id, string? Name, string? OsPlatform, string? Version, string? HealthStatus, string? RiskScore, string? ExposureLevel, string? OnboardingStatus, string? DeviceValue, DateTimeOffset? LastSeen, string? LastIpAddress, string? RbacGroupName, IReadOnlyList<string> Tags)
{
    /// <summary>Maps a machine.</summary>
    public static DeviceOutput From(Machine m) => new(m.Id, m.ComputerDnsName, m.OsPlatform, m.Version, m.HealthStatus, m.RiskScore, m.ExposureLevel, m.OnboardingStatus, m.DeviceValue, m.LastSeen, m.LastIpAddress, m.RbacGroupName, [.. m.MachineTags.Take(30)]);
}
