using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>A device exposed to a CVE and the vulnerable products on it; open it with get_device.</summary>
public sealed record ExposedDeviceOutput(string Id, string? Name, string? OsPlatform, string? DeviceGroup, IReadOnlyList<VulnerableProductOutput> Products)
{
    /// <summary>Maps a machine reference and the device's rows.</summary>
    public static ExposedDeviceOutput From(MachineReference m, IEnumerable<MachineVulnerability> rows) => new(
        m.Id,
        Text.Clip(m.ComputerDnsName, 255),
        Text.Clip(m.OsPlatform, 64),
        Text.Clip(m.RbacGroupName, 128),
        [.. rows.Where(r => string.Equals(r.MachineId, m.Id, StringComparison.OrdinalIgnoreCase)).Take(10).Select(VulnerableProductOutput.From)]);
}
