using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Indicators;

/// <summary>The Indicators area's tools (custom indicators (IoCs)), for <see cref="ToolCatalog"/>.</summary>
public static class IndicatorsArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(ListIndicatorsTool.Spec, s => new ListIndicatorsTool(s)),
        Tool(AddIndicatorTool.Spec, s => new AddIndicatorTool(s)),
        Tool(ImportIndicatorsTool.Spec, s => new ImportIndicatorsTool(s)),
        Tool(RemoveIndicatorTool.Spec, s => new RemoveIndicatorTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
