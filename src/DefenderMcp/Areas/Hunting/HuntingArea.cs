using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Hunting;

/// <summary>The Hunting area's tools (ad-hoc KQL hunting, its cached results and the schema), for <see cref="ToolCatalog"/>.</summary>
public static class HuntingArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(QueryAdvancedHuntingTool.Spec, s => new QueryAdvancedHuntingTool(s)),
        Tool(GetHuntingResultsTool.Spec, s => new GetHuntingResultsTool(s)),
        Tool(GetHuntingSchemaTool.Spec, s => new GetHuntingSchemaTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
