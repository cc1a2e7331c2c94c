using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Devices;

/// <summary>The Devices area's tools (device lookups), for <see cref="ToolCatalog"/>.</summary>
public static class DevicesArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(ListDevicesTool.Spec, s => new ListDevicesTool(s)),
        Tool(GetDeviceTool.Spec, s => new GetDeviceTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
