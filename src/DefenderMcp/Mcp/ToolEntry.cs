namespace DefenderMcp.Mcp;

/// <summary>A tool's static definition and how to create it; each area lists its own.</summary>
/// <param name="Definition">Name, tier, hints, schemas.</param>
/// <param name="Create">Builds the tool from the shared services.</param>
public sealed record ToolEntry(ToolDefinition Definition, Func<ToolServices, DefenderTool> Create);
