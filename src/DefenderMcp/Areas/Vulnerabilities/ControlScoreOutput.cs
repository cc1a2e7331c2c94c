using DefenderMcp.Client;
using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>The tenant's score on one Secure Score control.</summary>
public sealed record ControlScoreOutput(string? Name, string? Category, double? Score, string? Description)
{
    /// <summary>Maps a client control score.</summary>
    public static ControlScoreOutput From(ControlScore c) => new(Text.Clip(c.Name, 128), Text.Clip(c.Category, 64), c.Score, Text.Clip(c.Description, 300));
}
