using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.DetectionRules;

/// <summary>The DetectionRules area's tools (custom detection rules), for <see cref="ToolCatalog"/>.</summary>
public static class DetectionRulesArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(ListDetectionRulesTool.Spec, s => new ListDetectionRulesTool(s)),
        Tool(GetDetectionRuleTool.Spec, s => new GetDetectionRuleTool(s)),
        Tool(CreateDetectionRuleTool.Spec, s => new CreateDetectionRuleTool(s)),
        Tool(UpdateDetectionRuleTool.Spec, s => new UpdateDetectionRuleTool(s)),
        Tool(DeleteDetectionRuleTool.Spec, s => new DeleteDetectionRuleTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
