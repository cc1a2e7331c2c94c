using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>A security update (KB) a device misses: the products it fixes, how many devices miss it and how many CVEs it closes.</summary>
public sealed record MissingUpdateOutput(string? Kb, string? Name, IReadOnlyList<string> Products, string? Url, long? DevicesMissing, long? CvesAddressed)
{
    /// <summary>Maps a client missing KB.</summary>
    public static MissingUpdateOutput From(MissingUpdate u) => new(
        u.Id, Text.Clip(u.Name, 256), [.. u.ProductNames.Take(20).Select(p => Text.Clip(p, 128)!)], Text.Clip(u.Url, 512), u.MachineMissedOn, u.CveAddressed);
}
