using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>The SavedHunts area's tools (the saved-hunt library and scheduled hunts), for <see cref="ToolCatalog"/>.</summary>
public static class SavedHuntsArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(ListSavedHuntsTool.Spec, s => new ListSavedHuntsTool(s)),
        Tool(RunSavedHuntTool.Spec, s => new RunSavedHuntTool(s)),
        Tool(GetHuntResultsTool.Spec, s => new GetHuntResultsTool(s)),
        Tool(ScheduleHuntTool.Spec, s => new ScheduleHuntTool(s)),
        Tool(UnscheduleHuntTool.Spec, s => new UnscheduleHuntTool(s)),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
