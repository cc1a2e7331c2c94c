namespace DefenderMcp.Mcp;

/// <summary>The target of a write.</summary>
public sealed record WriteTargetOutput(string Name, string Id);
