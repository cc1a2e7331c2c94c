using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Status;

/// <summary>The Status area's tools (the server's own status), for <see cref="ToolCatalog"/>.</summary>
public static class StatusArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(GetServerStatusTool.Spec, s => new GetServerStatusTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
