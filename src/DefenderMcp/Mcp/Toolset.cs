namespace DefenderMcp.Mcp;

/// <summary>
/// One area's tools under the name <c>--toolsets</c> and <c>DEFENDER_MCP_TOOLSETS</c> use. A client pays in context for
/// every tool it is shown, so a deployment lists only the areas it needs.
/// </summary>
/// <param name="Name">The toolset name, e.g. <c>hunting</c>.</param>
/// <param name="Tools">The area's tools, reads and writes; the tenants' tier still decides which writes are listed.</param>
/// <param name="ReadArea">True for the areas an investigation reads from, listed by default on a read-only server.</param>
public sealed record Toolset(string Name, IReadOnlyList<ToolEntry> Tools, bool ReadArea);
