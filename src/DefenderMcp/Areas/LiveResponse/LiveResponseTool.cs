using DefenderMcp.Areas.Devices;
using DefenderMcp.Areas.MachineActions;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.LiveResponse;

/// <summary>
/// Base of the live-response writes (run a script, get a file, put a file): one command on one device, at the
/// live_response tier, through the write order (tier, input, protected devices, one pending session per device,
/// budget, dry run, confirmation, one send, audit); then it follows the action with progress and reports each
/// command.
/// </summary>
public abstract class LiveResponseTool(ToolDefinition definition, ToolServices services) : WriteTool(definition, services)
{
    /// <summary>Default wait for the action to finish.</summary>
    public const int DefaultWaitSeconds = 120;

    private static readonly ToolParameter Comment = ToolParameter.String("comment", "Why: recorded with the action in Defender and in the audit trail (a default names the command).", MachineActionKind.MaxCommentLength);
    private static readonly ToolParameter WaitSeconds = ToolParameter.Integer("wait_seconds", "Wait up to this long for the commands to finish, with progress notifications (0 = return at once, at most 600).", 0, 600, DefaultWaitSeconds);

    /// <summary>The parameters every live-response write takes after its own.</summary>
    protected static IReadOnlyList<ToolParameter> SessionParameters => [DeviceArguments.Device, Comment, WaitSeconds, .. WriteParameters];

    /// <summary>The definition of a live-response write.</summary>
    protected static ToolDefinition Define(string name, string title, string description, bool destructive, params ToolParameter[] own) =>
        LiveResponseArguments.WriteDefinition(
            name,
            title,
            description + " Refused for protected devices and while another live response runs on the device. Confirmed by a person; use dry_run to see the exact request first.",
            destructive,
            typeof(LiveResponseWriteResult),
            [.. own, .. SessionParameters]);

    /// <summary>Validates the tool's own arguments and builds its command, with a label that names it for a person.</summary>
    protected abstract Task<(LiveResponseCommand Command, string Label)> CommandAsync(ToolCall call, DefenderClient client, CancellationToken cancellationToken);

    /// <summary>After the action was followed: the tool's own follow-up (a get-file downloads), given the command results.</summary>
    protected virtual Task<LiveResponseResult> FollowUpAsync(LiveResponseResult result, MachineAction action, DefenderClient client, CancellationToken cancellationToken) =>
        Task.FromResult(result);

    /// <inheritdoc />
    protected sealed override async Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        // Every argument is checked before the first request: the tool's own command looks its file up in the library.
        var device = call.Arguments.RequiredString(DeviceArguments.Device);
        var given = call.Arguments.OptionalString(Comment) is { } written ? CommentAttribution.Given(written, call.CommentCaller, MachineActionKind.MaxCommentLength) : null;
        call.Arguments.Integer(WaitSeconds);
        var (command, label) = await CommandAsync(call, client, cancellationToken).ConfigureAwait(false);
        var comment = given ?? CommentAttribution.Default($"DefenderMcp live response: {label}", call.CommentCaller, MachineActionKind.MaxCommentLength);
        var machine = await DeviceArguments.ResolveAsync(device, client, cancellationToken).ConfigureAwait(false);
        RefuseProtected(call, tenant, machine);

        // One session per device (the API answers a second with 400 ActiveRequestAlreadyExists): say which one runs.
        var pending = await client.ListMachineActionsAsync(new MachineActionFilter { MachineId = machine.Id, Type = MachineActionKind.LiveResponseType }, 20, cancellationToken).ConfigureAwait(false);
        if (pending.FirstOrDefault(a => !MachineActionKind.IsFinal(a.Status)) is { } running)
        {
            call.PolicyDecision = "denied_pending";
            // conflict, as Defender's own 400 ActiveRequestAlreadyExists maps: nothing about the arguments is wrong.
            throw new ToolException(ErrorCodes.Conflict, $"A live response is already {Text.Clip(running.Status, 32)} on {Text.Clip(machine.ComputerDnsName, 255)} (action {Text.Clip(running.Id, 64)}); Defender allows one per device. Wait for it with get_machine_action, or cancel it with cancel_machine_action.");
        }

        var request = client.RunLiveResponse(machine.Id, [command], comment);
        return WritePlan.Of($"Live response: {label}", machine.ComputerDnsName ?? machine.Id, machine.Id, comment, request, MachineActionResults.Shape, machine.Id, MachineActionKind.LiveResponseType);
    }

    // A final status other than Succeeded (Failed, TimeOut, Cancelled): "done" only means the action was sent, so say
    // in words that its command did not complete, with the device's own reason, and that a retry is a new action.
    private static string EndedNote(string? status, IReadOnlyList<LiveResponseCommandResult> commands)
    {
        var reasons = commands.SelectMany(c => c.Errors).Where(e => !string.IsNullOrWhiteSpace(e)).Take(3).ToList();
        var why = reasons.Count == 0 ? "." : ": " + string.Join(" ", reasons.Select(r => Text.Clip(r, 300)!.TrimEnd('.') + "."));
        return $"The live response ended {Text.Clip(status, 32) ?? "without a status"} on the device{why} Its command did not complete: read the command's errors (and a script's output), fix what they name and call again, which sends a new action counted against the budget.";
    }

    /// <inheritdoc />
    protected sealed override async Task<WriteResult> CompleteAsync(ToolCall call, TenantSettings tenant, DefenderClient client, WriteResult sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var wait = TimeSpan.FromSeconds(call.Arguments.Integer(WaitSeconds));
        try
        {
            var (action, final, waited) = await LiveResponseFollower.WaitAsync(call, Services, client, sent.ActionId!, wait, cancellationToken).ConfigureAwait(false);
            var commands = await LiveResponseFollower.CommandsAsync(Services, tenant.Key, client, action, cancellationToken).ConfigureAwait(false);
            var note = !final ? $"Still {action.Status}: follow it with get_machine_action, then get_live_response_result."
                : action.Status == "Succeeded" ? null
                : EndedNote(action.Status, commands);
            var result = await FollowUpAsync(new LiveResponseResult(action.Status, final, waited, commands, null, note), action, client, cancellationToken).ConfigureAwait(false);
            return LiveResponseWriteResult.From(sent with { Status = action.Status }, result);
        }
        catch (DefenderApiException ex)
        {
            // The action was sent and stays sent: report it with why the follow-up stopped, never resend.
            return LiveResponseWriteResult.From(sent, new LiveResponseResult(sent.Status, false, 0, [], null, $"The action was sent, but following it failed ({ex.WhatHappened.TrimEnd('.')}). It was not resent: follow it with get_machine_action and get_live_response_result before sending another."));
        }
    }
}
