using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>A security recommendation: what to do (update, upgrade, uninstall, configure), to what, and what it would reduce.</summary>
public sealed record RecommendationOutput(
    string Id,
    string? Name,
    string? Product,
    string? Vendor,
    string? Category,
    string? SubCategory,
    string? RemediationType,
    string? RecommendedVersion,
    string? Status,
    double? SeverityScore,
    long? Weaknesses,
    bool? PublicExploit,
    bool? ActiveAlert,
    long? ExposedDevices,
    long? TotalDevices,
    double? ExposureImpact,
    double? ConfigScoreImpact,
    IReadOnlyList<string> AssociatedThreats)
{
    /// <summary>Maps a client recommendation; upstream strings are clipped.</summary>
    public static RecommendationOutput From(SecurityRecommendation r) => new(
        Text.Clip(r.Id, 256)!,
        Text.Clip(r.Name, 256),
        Text.Clip(r.ProductName, 128),
        Text.Clip(r.Vendor, 128),
        Text.Clip(r.Category, 64),
        Text.Clip(r.SubCategory, 64),
        Text.Clip(r.RemediationType, 64),
        Text.Clip(r.RecommendedVersion, 64),
        Text.Clip(r.Status, 32),
        r.SeverityScore,
        r.Weaknesses,
        r.PublicExploit,
        r.ActiveAlert,
        r.ExposedMachines,
        r.TotalMachines,
        r.ExposureImpact,
        r.ConfigScoreImpact,
        [.. r.AssociatedThreats.Take(10).Select(t => Text.Clip(t, 128)!)]);
}
