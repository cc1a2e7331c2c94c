using System.Globalization;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>A product of the software inventory: its known weaknesses, how many devices they expose across the tenant, and its end of support.</summary>
public sealed record SoftwareOutput(string Id, string? Name, string? Vendor, long? Weaknesses, long? ExposedDevices, bool? PublicExploit, bool? ActiveAlert, double? ImpactScore, EndOfSupportOutput? EndOfSupport)
{
    /// <summary>Maps a client software product and its end of support.</summary>
    public static SoftwareOutput From(SoftwareRow row)
    {
        var s = row.Product;
        var eos = row.EndOfSupport is { } e ? new EndOfSupportOutput(Text.Clip(e.Status, 64)!, e.Date?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null;
        return new(Text.Clip(s.Id, 256)!, Text.Clip(s.Name, 128), Text.Clip(s.Vendor, 128), s.Weaknesses, s.ExposedMachines, s.PublicExploit, s.ActiveAlert, s.ImpactScore, eos);
    }
}
