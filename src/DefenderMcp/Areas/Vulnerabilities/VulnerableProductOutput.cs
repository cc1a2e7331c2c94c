using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>The product that makes a device vulnerable, its version, and the KB that fixes it (null: update the product).</summary>
public sealed record VulnerableProductOutput(string? Vendor, string? Name, string? Version, string? FixingKbId)
{
    /// <summary>Maps a machinesVulnerabilities row.</summary>
    public static VulnerableProductOutput From(MachineVulnerability r) =>
        new(Text.Clip(r.ProductVendor, 128), Text.Clip(r.ProductName, 128), Text.Clip(r.ProductVersion, 64), Text.Clip(r.FixingKbId, 32));
}
