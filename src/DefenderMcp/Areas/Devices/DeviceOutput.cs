using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary>A device as reported to the model; upstream strings are clipped.</summary>
public sealed record DeviceOutput(string Id, string? Name, string? OsPlatform, string? Version, string? HealthStatus, string? RiskScore, string? ExposureLevel, string? OnboardingStatus, string? DeviceValue, DateTimeOffset? LastSeen, string? LastIpAddress, string? RbacGroupName, IReadOnlyList<string> Tags)
{
    /// <summary>Maps a machine.</summary>
    public static DeviceOutput From(Machine m)
    {
        ArgumentNullException.ThrowIfNull(m);
        static string? Word(string? value) => Text.Clip(value, 64);
        return new(
            m.Id,
            Text.Clip(m.ComputerDnsName, 255),
            Word(m.OsPlatform),
            Word(m.Version),
            Word(m.HealthStatus),
            Word(m.RiskScore),
            Word(m.ExposureLevel),
            Word(m.OnboardingStatus),
            Word(m.DeviceValue),
            m.LastSeen,
            Word(m.LastIpAddress),
            Text.Clip(m.RbacGroupName, 256),
            [.. m.MachineTags.Take(30).Select(t => Text.Clip(t, 100)!)]);
    }
}
