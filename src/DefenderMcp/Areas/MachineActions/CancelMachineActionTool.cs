using DefenderMcp.Areas.Devices;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.MachineActions;

/// <summary><c>cancel_machine_action</c>: cancels a pending action.</summary>
public sealed class CancelMachineActionTool(ToolServices services) : WriteTool(Spec, services)
{
    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "cancel_machine_action",
        Title = "Cancel a machine action",
        Description = "Cancels a response action that has not finished yet. Confirmed by a person.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = true,
        FanOut = false,
        ResultType = typeof(WriteResult),
        Parameters = [MachineActionParameters.ActionId, DeviceArguments.Comment, .. WriteParameters],
    };

    /// <inheritdoc />
    protected override TargetLookup? Target { get; } = new("machine action", MachineActionParameters.ActionId, "list_machine_actions");

    /// <inheritdoc />
    protected override string CheckAfterFailure => "get_machine_action shows whether the action is Cancelled now";

    /// <inheritdoc />
    protected override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var id = call.Arguments.RequiredString(MachineActionParameters.ActionId);
        var comment = CommentAttribution.Given(call.Arguments.RequiredString(DeviceArguments.Comment), call.CommentCaller, MachineActionKind.MaxCommentLength);
        var action = MachineActionOutput.From(await client.GetMachineActionAsync(id, cancellationToken).ConfigureAwait(false));

        // Defender refuses to cancel a finished action with a bare 400: refused here instead, before a person is asked
        // and a budget slot spent, with what to do.
        if (action.Status is "Succeeded" or "Failed" or "TimeOut" or "Cancelled")
        {
            throw ToolException.InvalidInput($"Action {Text.Clip(action.Id, 64)} is {action.Status}: it has finished, so there is nothing to cancel (only a Pending or InProgress action can be). Nothing was sent. To reverse a Succeeded isolation or app restriction, use undo_action.");
        }

        // The action's type decides which role a 403 names: the cancel accepts any action role, its own first.
        return WritePlan.Of($"Cancel {action.Type} ({action.Status})", action.ComputerDnsName ?? id, id, comment, client.CancelMachineAction(id, comment, action.Type), MachineActionResults.Shape);
    }
}
