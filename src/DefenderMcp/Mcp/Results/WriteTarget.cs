namespace DefenderMcp.Mcp.Results;

/// <summary>The target of a write: what a person recognises (name) and what Defender knows it by (id).</summary>
/// <param name="Name">Device name, incident title, indicator value, rule name.</param>
/// <param name="Id">The target's id.</param>
public sealed record WriteTarget(string Name, string Id);
