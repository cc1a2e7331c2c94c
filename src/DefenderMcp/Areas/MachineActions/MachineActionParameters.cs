using DefenderMcp.Mcp;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>The parameters the machine action tools share.</summary>
public static class MachineActionParameters
{
    /// <summary>
    /// <c>action_id</c>: a machine action's GUID. The schema once allowed any 36 hex digits and hyphens while the
    /// server required a GUID; both now say GUID.
    /// </summary>
    public static ToolParameter ActionId { get; } = ToolParameter.String(
        "action_id",
        "The machine action id (a GUID).",
        36,
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$").AsRequired();
}
