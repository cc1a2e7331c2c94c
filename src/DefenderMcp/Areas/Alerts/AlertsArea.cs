using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.Alerts;

/// <summary>The Alerts area's tools (alert triage), for <see cref="ToolCatalog"/>.</summary>
public static class AlertsArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(ListAlertsTool.Spec, s => new ListAlertsTool(s)),
        Tool(GetAlertTool.Spec, s => new GetAlertTool(s)),
        Tool(UpdateAlertTool.Spec, s => new UpdateAlertTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
