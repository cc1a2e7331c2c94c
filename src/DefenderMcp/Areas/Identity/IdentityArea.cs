using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Identity;

/// <summary>The Identity area's tools (account containment through Graph and Entra ID Protection), for <see cref="ToolCatalog"/>.</summary>
public static class IdentityArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
        [.. IdentityActionSpec.All.Select(spec => new ToolEntry(IdentityActionTool.Define(spec), s => new IdentityActionTool(s, spec)))];
}
