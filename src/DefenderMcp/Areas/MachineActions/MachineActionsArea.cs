using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>The MachineActions area's tools (device response actions and their status), for <see cref="ToolCatalog"/>.</summary>
public static class MachineActionsArea
{
    /// <summary>Each tool's definition and how to create it.</summary>
    public static IReadOnlyList<ToolEntry> Tools { get; } =
    [
        Tool(ListMachineActionsTool.Spec, s => new ListMachineActionsTool(s)),
        Tool(GetMachineActionTool.Spec, s => new GetMachineActionTool(s)),
        Tool(CancelMachineActionTool.Spec, s => new CancelMachineActionTool(s)),
        Tool(GetInvestigationPackageUriTool.Spec, s => new GetInvestigationPackageUriTool(s)),
        Tool(UndoActionTool.Spec, s => new UndoActionTool(s)),
        .. MachineActionSpec.All.Select(spec => Tool(MachineActionTool.Define(spec), s => new MachineActionTool(s, spec))),
    ];

    private static ToolEntry Tool(ToolDefinition definition, Func<ToolServices, DefenderTool> create) => new(definition, create);
}
