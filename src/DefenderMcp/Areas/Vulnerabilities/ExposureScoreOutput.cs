namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>
/// The tenant's exposure score (0–100, lower is better) overall and per device group, and the device configuration
/// score (Microsoft Secure Score for Devices, higher is better).
/// </summary>
public sealed record ExposureScoreOutput(string Tenant, double? ExposureScore, DateTimeOffset? Time, IReadOnlyList<GroupScoreOutput> DeviceGroups, double? ConfigurationScore, bool Truncated);
