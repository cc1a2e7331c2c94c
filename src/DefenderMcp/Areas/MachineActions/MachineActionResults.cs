using DefenderMcp.Client;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>How a sent machine action (or its cancel) is reported: the action id, status, type and request time up front.</summary>
public static class MachineActionResults
{
    /// <summary><paramref name="sent"/> completed with <paramref name="action"/>.</summary>
    public static WriteResult Shape(MachineAction action, WriteResult sent)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(sent);
        return sent with { ActionId = action.Id, Status = action.Status, Type = action.Type, RequestedAt = action.CreationDateTimeUtc };
    }
}
