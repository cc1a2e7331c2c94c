using DefenderMcp.Areas.Indicators;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Mcp.Results;

namespace DefenderMcp.Areas.MachineActions;

/// <summary>
/// <c>undo_action</c>: issues the inverse of a completed containment (release after isolate, remove the restriction
/// after restrict) or removes an indicator that was added, through the same write order as the inverse tool itself
/// (protected devices, budget, dry run, confirmation, one send, audit). Actions with no inverse are refused by name.
/// </summary>
public sealed class UndoActionTool(ToolServices services) : WriteTool(Spec, services)
{
    // Exactly one of action_id and indicator_id: each is optional in the schema, and the plan refuses neither or both.
    private static readonly ToolParameter ActionId = ToolParameter.String(
        "action_id",
        "The machine action to undo (a GUID, from the device action's result or list_machine_actions).",
        MachineActionParameters.ActionId.MaxLength,
        MachineActionParameters.ActionId.Pattern);

    private static readonly ToolParameter IndicatorId = ToolParameter.String(
        "indicator_id",
        "Instead of action_id: the indicator to remove (from add_indicator's result or list_indicators).",
        RemoveIndicatorTool.IndicatorIds.MaxLength,
        RemoveIndicatorTool.IndicatorIds.Pattern);

    private static readonly ToolParameter Comment = ToolParameter.String("comment", "Why: recorded with the inverse action in Defender and in the audit trail (a default names the undone action).", MachineActionKind.MaxCommentLength);

    /// <summary>The tool's definition.</summary>
    public static ToolDefinition Spec { get; } = new()
    {
        Name = "undo_action",
        Title = "Undo a response action",
        Description = "Undoes a completed response action: action_id of a Succeeded isolation (sends a release) or app restriction (removes it), or indicator_id of an indicator that was added (removes it). Give exactly one. Scans, investigation packages, stop-and-quarantine, offboarding and live response have no inverse and are refused. Confirmed by a person; use dry_run to see the exact request first.",
        Tier = ActionTier.Respond,
        ReadOnly = false,
        Destructive = false,
        Idempotent = false,
        FanOut = false,
        ResultType = typeof(WriteResult),
        Parameters = [ActionId, IndicatorId, Comment, .. WriteParameters],
    };

    /// <summary>The action that undoes each machine action type that has one.</summary>
    private static readonly IReadOnlyDictionary<string, MachineActionSpec> Inverses = new Dictionary<string, MachineActionSpec>(StringComparer.Ordinal)
    {
        [MachineActionKind.Isolate.Type] = MachineActionSpec.All.Single(s => s.Kind == MachineActionKind.Release),
        [MachineActionKind.RestrictAppExecution.Type] = MachineActionSpec.All.Single(s => s.Kind == MachineActionKind.RemoveAppRestriction),
    };

    /// <inheritdoc />
    protected override string CheckAfterFailure => "list_indicators shows whether the indicator is still there";

    /// <inheritdoc />
    protected override Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken)
    {
        var actionId = call.Arguments.OptionalString(ActionId);
        var indicatorId = call.Arguments.OptionalString(IndicatorId);
        // Checked here, before the undo looks the action up: every argument is validated before the first request.
        var written = call.Arguments.OptionalString(Comment);
        var comment = written is not null && actionId is not null ? CommentAttribution.Given(written, call.CommentCaller, MachineActionKind.MaxCommentLength) : null;
        return (actionId, indicatorId) switch
        {
            (not null, null) => PlanMachineActionUndoAsync(call, tenant, client, actionId, comment, cancellationToken),
            (null, not null) => PlanIndicatorRemovalAsync(call, tenant, client, indicatorId, cancellationToken),
            _ => throw ToolException.InvalidInput("Give exactly one of 'action_id' (a machine action) or 'indicator_id' (an indicator that was added)."),
        };
    }

    /// <summary>Why a machine action type cannot be undone, in words a person can act on; null when it has an inverse.</summary>
    public static string? NoInverse(string? type) =>
        type is not null && Inverses.ContainsKey(type) ? null
        : type is not null && Refusals.TryGetValue(type, out var reason) ? reason
        : $"a {type ?? "machine"} action has no known inverse";

    // Why each machine action type without an inverse has none, keyed by the client's own type names.
    private static readonly IReadOnlyDictionary<string, string> Refusals = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [MachineActionKind.RunAntivirusScan.Type] = "an antivirus scan has no inverse (it changed nothing that can be reverted)",
        [MachineActionKind.CollectInvestigationPackage.Type] = "collecting an investigation package has no inverse",
        [MachineActionKind.StopAndQuarantineFile.Type] = "stop and quarantine has no inverse in the API: restore the file from quarantine on the device or in the Defender portal",
        [MachineActionKind.Offboard.Type] = "offboarding has no inverse in the API: onboard the device again with an onboarding package",
        [MachineActionKind.LiveResponseType] = "a live response has no inverse: what its commands did on the device cannot be reverted through the API",
        [MachineActionKind.Release.Type] = "a release is already the end of a containment; to isolate again use isolate_device",
        [MachineActionKind.RemoveAppRestriction.Type] = "removing a restriction is already the end of a containment; to restrict again use restrict_app_execution",
    };

    // comment: the written comment with the caller named, or null for the default one.
    private async Task<WritePlan> PlanMachineActionUndoAsync(ToolCall call, TenantSettings tenant, DefenderClient client, string actionId, string? comment, CancellationToken cancellationToken)
    {
        MachineAction original;
        try
        {
            original = await client.GetMachineActionAsync(actionId, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw new ToolException(ErrorCodes.NotFound, "No machine action with that id in this tenant. Use list_machine_actions to find it.");
        }

        if (NoInverse(original.Type) is { } reason)
        {
            call.PolicyDecision = "denied_no_inverse";
            throw ToolException.InvalidInput($"Action {original.Id} cannot be undone: {reason}.");
        }

        if (original.Status != "Succeeded")
        {
            throw ToolException.InvalidInput($"Action {Text.Clip(original.Id, 64)} is {Text.Clip(original.Status, 32) ?? "of unknown status"}; only a Succeeded action can be undone. Cancel a pending one with cancel_machine_action, or follow it with get_machine_action.");
        }

        var inverse = Inverses[original.Type!];
        if (original.MachineId is null)
        {
            throw new ToolException(ErrorCodes.UpstreamError, $"Defender did not report the device of action {original.Id}; nothing was sent.");
        }

        Machine machine;
        try
        {
            machine = await client.GetMachineAsync(original.MachineId, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound)
        {
            throw new ToolException(ErrorCodes.NotFound, $"The device of action {original.Id} is no longer in this tenant; nothing was sent.");
        }

        if (inverse.Protected)
        {
            RefuseProtected(call, tenant, machine);
        }

        // Undone already (by us or anyone): a later inverse that did not fail names itself instead of a second one, and
        // the device's state now (released when, by whom), as release_device would show it. This read is the refusal's,
        // so it is not bounded as the state lookup is; the lookup shares it and reads only the other type itself.
        var later = await client.ListMachineActionsAsync(new MachineActionFilter { MachineId = machine.Id, Type = inverse.Kind.Type }, DeviceStateNote.MaxActionsPerType, cancellationToken).ConfigureAwait(false);
        if (later.FirstOrDefault(a => a.CreationDateTimeUtc > original.CreationDateTimeUtc && a.Status is not ("Failed" or "Cancelled" or "TimeOut")) is { } done)
        {
            var now = await DeviceStateNote.DescribeAsync(client, machine, inverse.Kind, later, cancellationToken).ConfigureAwait(false);
            throw ToolException.InvalidInput($"Action {Text.Clip(original.Id, 64)} was already undone: {Text.Clip(done.Type, 64)} {Text.Clip(done.Id, 64)} is {Text.Clip(done.Status, 32)} on {Text.Clip(machine.ComputerDnsName ?? machine.Id, 255)}; nothing was sent. Now: {now}");
        }

        // The confirmation and preview say what the device is now, as release_device's and remove_app_restriction's do
        // (an isolation made since by someone else ends with this release too); the request is built first, so invalid
        // input is refused before that bounded lookup, which never blocks.
        comment ??= CommentAttribution.Default($"DefenderMcp undo of {original.Type} action {original.Id}", call.CommentCaller, MachineActionKind.MaxCommentLength);
        var request = client.RequestMachineAction(machine.Id, inverse.Kind, comment);
        var state = await DeviceStateNote.DescribeAsync(client, machine, inverse.Kind, later, cancellationToken).ConfigureAwait(false);
        return WritePlan.Of($"Undo {original.Type} {original.Id}: {inverse.Title}", machine.ComputerDnsName ?? machine.Id, machine.Id, comment, request, MachineActionResults.Shape, machine.Id, inverse.Kind.Type, state);
    }

    private static async Task<WritePlan> PlanIndicatorRemovalAsync(ToolCall call, TenantSettings tenant, DefenderClient client, string indicatorId, CancellationToken cancellationToken)
    {
        if (call.Arguments.OptionalString(Comment) is not null)
        {
            throw ToolException.InvalidInput("Removing an indicator takes no comment (Defender records none); leave 'comment' out.");
        }

        // Show the person what is removed: the indicator's value and title, when it is among the first indicators listed.
        var request = client.DeleteIndicator(indicatorId);
        var name = (await IndicatorNames.DescribeAsync(client, [indicatorId], tenant.Key, cancellationToken).ConfigureAwait(false))[0];
        return WritePlan.Of($"Undo add_indicator: remove indicator {indicatorId}", name, indicatorId, null, request, (deleted, sent) => sent with { DeletedIds = [deleted] });
    }
}
