using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>A product of the software inventory: its known weaknesses and how many devices they expose across the tenant.</summary>
public sealed record SoftwareOutput(string Id, string? Name, string? Vendor, long? Weaknesses, long? ExposedDevices, bool? PublicExploit, bool? ActiveAlert, double? ImpactScore)
{
    /// <summary>Maps a client software product.</summary>
    public static SoftwareOutput From(SoftwareProduct s) => new(
        Text.Clip(s.Id, 256)!, Text.Clip(s.Name, 128), Text.Clip(s.Vendor, 128), s.Weaknesses, s.ExposedMachines, s.PublicExploit, s.ActiveAlert, s.ImpactScore);
}
