using System.Text.Json.Nodes;
using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Client;
using DefenderMcp.Client.Http;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Mcp;

/// <summary>
/// Base of every respond-tier write. Order of checks: tier, input, target resolution, protected assets, action budget,
/// then dry run or confirmation (elicitation, token, or explicit none), then one request, never retried. After a 5xx
/// or timeout on a machine action, it looks up the device's pending actions and reports what it finds; after Defender's
/// "Action is already in progress" it names the pending action as a <c>conflict</c>.
/// </summary>
public abstract class WriteTool(ToolDefinition definition, ToolServices services) : DefenderTool(definition, services)
{
    private static readonly TimeSpan StateRetryAfter = TimeSpan.FromSeconds(30);

    private static readonly ToolParameter DryRun = ToolParameter.Boolean("dry_run", "Resolve the target and return the exact request without sending it.");

    // The token is checked against the other arguments; it never goes into the audit line.
    private static readonly ToolParameter ConfirmationToken = ToolParameter.String("confirmation_token", "For tenants with token confirmation: the token returned by the first call.", 200, audited: false);

    /// <summary>Parameters every write takes, last in its schema.</summary>
    protected static IReadOnlyList<ToolParameter> WriteParameters { get; } = [SharedParameters.OneTenant, DryRun, ConfirmationToken];

    /// <summary>
    /// Validates arguments, resolves the target and builds the plan from the client's typed request builder; throws
    /// <see cref="ToolException"/> (or the client's invalid_input) on bad input, before anything is sent.
    /// </summary>
    protected abstract Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken);

    /// <inheritdoc />
    protected sealed override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var tenant = SelectTenants(call).Tenants[0];
        var dryRun = call.Arguments.Boolean(DryRun);
        var token = call.Arguments.OptionalString(ConfirmationToken);
        var client = Services.Tenants.GetClient(tenant);
        call.CommentCaller = Services.Settings.CommentCaller ? CommentAttribution.CallerLabel(call.Request.User) : null;
        WritePlan plan;
        try
        {
            plan = await PlanAsync(call, tenant, client, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound && Target is { } target)
        {
            throw TargetNotFound(call, tenant, target);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.PermissionDenied)
        {
            // The refused request was a lookup (the target, its state, a group membership): granting only its role
            // would meet a second 403 on the write itself, so point at the list of every role still missing.
            throw new ToolException(ex.CodeName, $"{ex.Message} That role is for looking up the target before the write, which was not sent; the write itself may need another. get_server_status lists every role this tenant still lacks (missing_roles), the write's own among them.");
        }

        // The budget counts every request sent: one per device for a bulk action.
        var count = plan.IsBulk ? plan.Parts.Count : 1;
        if (plan.IsBulk)
        {
            call.Count("refused", plan.Refused.Count);
        }

        if (!dryRun && count > tenant.Policy.MaxActionsPerHour)
        {
            // No wait would let it through: the call needs more than the tenant's whole hourly budget.
            call.PolicyDecision = "denied_budget";
            throw new ToolException(ErrorCodes.PolicyDenied, count == 1
                ? $"Tenant '{tenant.Key}' allows no response actions (max_actions_per_hour is 0), so waiting will not help: nothing was sent. Ask the operator to raise its max_actions_per_hour, or act in the Defender portal."
                : $"This call needs {count} actions, one per device, more than tenant '{tenant.Key}' allows in a whole hour ({tenant.Policy.MaxActionsPerHour}), so waiting will not help: nothing was sent. Split the devices into calls of at most {tenant.Policy.MaxActionsPerHour}, or ask the operator to raise max_actions_per_hour.");
        }

        if (!dryRun && await SafetyStateAsync(call, () => Services.Budget.CheckAsync(tenant.Key, tenant.Policy.MaxActionsPerHour, count, cancellationToken)).ConfigureAwait(false) is { Allowed: false } room)
        {
            call.PolicyDecision = "denied_budget";
            throw new ToolException(ErrorCodes.PolicyDenied, $"The hourly action budget of tenant '{tenant.Key}' ({tenant.Policy.MaxActionsPerHour}) {BudgetShortfall(room, count)}; it frees up at {Text.Utc(room.FreesAt)}. {BudgetAdvice}", room.FreesAt - Services.Time.GetUtcNow());
        }

        call.PolicyDecision = "allowed";
        if (dryRun)
        {
            call.Confirmation = "dry_run";
            call.Outcome = "dry_run";
            return ToJson<object>(Preview(tenant, plan, dryRun: true));
        }

        switch (tenant.Policy.Confirmation)
        {
            case ConfirmationMode.Elicitation:
                await ElicitAsync(call, tenant, plan, cancellationToken).ConfigureAwait(false);
                break;
            case ConfirmationMode.Token when token is null:
                var (issued, expires) = await SafetyStateAsync(call, () => Services.Tokens.IssueAsync(Definition.Name, tenant.Key, TokenCaller(call), Bound(call, plan), cancellationToken)).ConfigureAwait(false);
                call.Confirmation = "token_issued";
                call.ConfirmationId = ConfirmationTokens.IdOf(issued);
                call.PreviewNotes = [.. (plan.IsBulk ? plan.Parts : [plan]).Select(p => $"target={p.TargetName} ({p.TargetId})"), .. plan.Refused.Select(r => $"refused={r.Target} ({r.Id})")];
                call.Outcome = "preview";
                return ToJson<object>(Preview(tenant, plan, dryRun: false) with
                {
                    Status = "confirmation_required",
                    ConfirmationToken = issued,
                    ExpiresAt = expires.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                    Message = "Nothing was sent. Show this preview to the user; if they approve, call the same tool with the same arguments plus confirmation_token.",
                });
            case ConfirmationMode.Token:
                var (verdict, expiry) = await SafetyStateAsync(call, () => Services.Tokens.RedeemAsync(token!, Definition.Name, tenant.Key, TokenCaller(call), Bound(call, plan), cancellationToken)).ConfigureAwait(false);
                if (verdict != TokenVerdict.Accepted)
                {
                    call.Confirmation = "token_rejected";
                    throw new ToolException(ErrorCodes.ConfirmationRequired, TokenRefusal(verdict, expiry));
                }

                call.Confirmation = "token";
                call.ConfirmationId = ConfirmationTokens.IdOf(token!);
                break;
            default:
                call.Confirmation = "none";
                break;
        }

        if (await SafetyStateAsync(call, () => Services.Budget.TryReserveAsync(tenant.Key, tenant.Policy.MaxActionsPerHour, count, cancellationToken)).ConfigureAwait(false) is { Allowed: false } reserved)
        {
            call.PolicyDecision = "denied_budget";
            throw new ToolException(ErrorCodes.PolicyDenied, $"The hourly action budget of tenant '{tenant.Key}' ({tenant.Policy.MaxActionsPerHour}) {BudgetShortfall(reserved, count)}; it frees up at {Text.Utc(reserved.FreesAt)}. {BudgetAdvice}", reserved.FreesAt - Services.Time.GetUtcNow());
        }

        RecordIntent(call, tenant, plan);
        if (plan.IsBulk)
        {
            return ToJson<object>(await SendBulkAsync(call, tenant, client, plan, cancellationToken).ConfigureAwait(false));
        }

        WriteResult result;
        try
        {
            result = await plan.SendAsync(client, Sent(tenant, plan), cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code is DefenderErrorCode.UpstreamError or DefenderErrorCode.Timeout && plan.MachineId is not null)
        {
            throw await LookUpAfterFailureAsync(client, plan, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.Conflict && plan.MachineId is not null)
        {
            throw await NamePendingActionAsync(client, plan, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.InvalidInput && plan.TargetState is not null)
        {
            throw RefusedInState(ex, plan);
        }
        catch (DefenderApiException ex) when (ex.Code == DefenderErrorCode.NotFound && Target is { } target)
        {
            // Gone between the lookup and the send: Defender changed nothing.
            throw TargetNotFound(call, tenant, target);
        }
        catch (DefenderApiException ex) when (ex.Code is DefenderErrorCode.UpstreamError or DefenderErrorCode.Timeout)
        {
            // No action to look up: say that the change may have been made, and where to see whether it was.
            throw new ToolException(ex.CodeName, $"{ex.WhatHappened} The request was sent once and not resent, so it may have taken effect anyway: {CheckAfterFailure}.", ex.RetryAfter);
        }

        call.ActionId = result.AuditId;
        call.Count("items", 1);
        // Serialized as its runtime type: a tool's follow-up may return a result derived from WriteResult.
        return ToJson<object>(await CompleteAsync(call, tenant, client, result, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The one object the write looks up and acts on, so that Defender's 404 names it and the tool that finds such
    /// objects, instead of "no such object"; null for writes whose targets are resolved otherwise (devices, users).
    /// </summary>
    protected virtual TargetLookup? Target => null;

    /// <summary>
    /// Where the analyst sees whether a write that failed with a 5xx or a timeout took effect anyway, completing
    /// "… may have taken effect anyway: {this}.". Machine actions are looked up instead.
    /// </summary>
    protected virtual string CheckAfterFailure => "check the object's current state before trying again";

    /// <summary>
    /// After the one send: adds what the tool follows up with (a live response waits for its commands and reads their
    /// results). Nothing here may send another write; by default the sent result is returned as is.
    /// </summary>
    protected virtual Task<WriteResult> CompleteAsync(ToolCall call, TenantSettings tenant, DefenderClient client, WriteResult sent, CancellationToken cancellationToken) =>
        Task.FromResult(sent);

    /// <summary>Throws <c>policy_denied</c> when a protected asset matches the device.</summary>
    protected static void RefuseProtected(ToolCall call, TenantSettings tenant, Machine machine)
    {
        if (ProtectedAssets.Match(tenant.Policy, machine.Id, machine.ComputerDnsName, machine.MachineTags) is { } entry)
        {
            call.PolicyDecision = "denied_protected";
            throw new ToolException(ErrorCodes.PolicyDenied, $"Device {machine.ComputerDnsName} is protected by the tenant policy ('{entry}'); this action is refused. Ask an administrator, or act in the Defender portal.");
        }
    }

    /// <summary>The event of the line written before a confirmed write is sent.</summary>
    public const string IntentEvent = "action_intent";

    // Written to disk before the one send: a server that crashes or is killed between the send and the result still
    // leaves the attempt (tool, tenant, targets, confirmation) in the trail; the result line follows with the same id.
    private void RecordIntent(ToolCall call, TenantSettings tenant, WritePlan plan)
    {
        call.ConfirmationId ??= Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        IReadOnlyList<WritePlan> parts = plan.IsBulk ? plan.Parts : [plan];
        Services.Audit.Write(
            AuditRequester.Stamp(new AuditRecord
            {
                Event = IntentEvent,
                Tool = Definition.Name,
                Tenants = [tenant.Key],
                Parameters = call.Arguments.Validated,
                Confirmation = call.Confirmation,
                PolicyDecision = call.PolicyDecision,
                Counts = new Dictionary<string, long> { ["targets"] = parts.Count },
                Notes =
                [
                    $"confirmation_id={call.ConfirmationId}",
                    $"action={plan.Action}",
                    .. parts.Select(p => $"target={p.TargetName} ({p.TargetId})"),
                    $"request={plan.Request.Method.Method} {plan.Request.Url.AbsolutePath}{(plan.IsBulk ? " (one per target)" : string.Empty)}",
                ],
            }, call.Request),
            toDisk: true);
    }

    private static ToolException TargetNotFound(ToolCall call, TenantSettings tenant, TargetLookup target) =>
        new(ErrorCodes.NotFound, $"No {target.Noun} with {target.Id.Name} '{call.Arguments.OptionalString(target.Id)}' in tenant '{tenant.Key}'; nothing was sent. {target.ListTool} shows the {target.Noun}s and their ids.");

    // Why the token was refused and what to do: only a token made for this very call can be expired or spent, so
    // saying which reveals nothing, and "already used" warns that an earlier call may have acted.
    private static string TokenRefusal(TokenVerdict verdict, DateTimeOffset? expiry) => verdict switch
    {
        TokenVerdict.Expired => $"The confirmation token expired at {(expiry is { } at ? Text.Utc(at) : "an unknown time")}; nothing was sent. Call again without confirmation_token for a new preview and show it to the user again.",
        TokenVerdict.Spent => "The confirmation token was already used by an earlier call (each token confirms one call); nothing was sent now. Check what the earlier call did (list_machine_actions for a device action, or the object itself) before asking for a new preview by calling again without confirmation_token.",
        _ => "The confirmation token does not match this call: it was issued for another tool, tenant, caller or other arguments, or the arguments now resolve to other targets than the preview showed (a device or user name that names another object now, a device that was refused at the preview; for an upload, a file that changed since the preview), or it is malformed; nothing was sent. Repeat exactly the call that was previewed with its token, or call again without confirmation_token for a new preview.",
    };

    // What to do when the budget refuses: it is a circuit breaker, so the answer is to wait or to ask, never to loop.
    private const string BudgetAdvice = "Nothing was sent. Try again after that time (dry_run still works meanwhile), or ask the operator whether the tenant's max_actions_per_hour should be raised.";

    private static string BudgetShortfall(State.BudgetDecision decision, int count) => count == 1
        ? "is spent"
        : $"has {decision.Remaining} action(s) left and this call needs {count}, one per device";

    /// <summary>
    /// Runs a budget or token step against the state store. A store that cannot answer refuses the write (fails
    /// closed): no budget or confirmation check is ever skipped.
    /// </summary>
    private static async Task<T> SafetyStateAsync<T>(ToolCall call, Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (State.StateStoreException ex)
        {
            call.PolicyDecision = "denied_state_unavailable";
            throw new ToolException(ErrorCodes.PolicyDenied, "Writes are refused: " + ex.Message + " Nothing was sent to Defender; reads still work. Try again when the state store is back.", StateRetryAfter);
        }
    }

    private static WriteResult Sent(TenantSettings tenant, WritePlan plan) =>
        new() { Tenant = tenant.Key, Done = true, Action = plan.Action, Target = new(plan.TargetName, plan.TargetId), Comment = plan.Comment };

    private static RequestPreview PreviewOf(WritePlan plan) =>
        new(plan.Request.Method.Method, plan.Request.Url.AbsoluteUri, plan.Request.PreviewBody is { } body ? JsonNode.Parse(body) : null);

    private static WriteResult Preview(TenantSettings tenant, WritePlan plan, bool dryRun) => plan.IsBulk
        ? new BulkWriteResult
        {
            Tenant = tenant.Key,
            DryRun = dryRun,
            Action = plan.Action,
            Target = new(plan.TargetName, plan.TargetId),
            Comment = plan.Comment,
            Targets = [.. plan.Parts.Select(p => new TargetOutcome { Target = new(p.TargetName, p.TargetId), Request = PreviewOf(p), TargetState = p.TargetState })],
            Refused = plan.Refused,
        }
        : new WriteResult
        {
            Tenant = tenant.Key,
            DryRun = dryRun,
            Action = plan.Action,
            Target = new(plan.TargetName, plan.TargetId),
            Comment = plan.Comment,
            Request = PreviewOf(plan),
            TargetState = plan.TargetState,
        };

    // One device after another, each sent once: a failure is that device's outcome and never stops the others.
    private static async Task<BulkWriteResult> SendBulkAsync(ToolCall call, TenantSettings tenant, DefenderClient client, WritePlan plan, CancellationToken cancellationToken)
    {
        var outcomes = new List<TargetOutcome>(plan.Parts.Count);
        foreach (var part in plan.Parts)
        {
            var target = new WriteTarget(part.TargetName, part.TargetId);
            try
            {
                var sent = await part.SendAsync(client, Sent(tenant, part), cancellationToken).ConfigureAwait(false);
                outcomes.Add(new TargetOutcome { Target = target, Done = true, ActionId = sent.ActionId, Status = sent.Status });
            }
            catch (DefenderApiException ex)
            {
                var failure = ex.Code is DefenderErrorCode.UpstreamError or DefenderErrorCode.Timeout && part.MachineId is not null
                    ? await LookUpAfterFailureAsync(client, part, ex, cancellationToken).ConfigureAwait(false)
                    : ex.Code == DefenderErrorCode.Conflict && part.MachineId is not null
                        ? await NamePendingActionAsync(client, part, ex, cancellationToken).ConfigureAwait(false)
                        : ex.Code == DefenderErrorCode.InvalidInput && part.TargetState is not null
                            ? RefusedInState(ex, part)
                            : (Exception)ex;
                var (code, message, _) = ToolErrors.Describe(failure);
                outcomes.Add(new TargetOutcome { Target = target, Done = false, Error = new(code, message) });
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcomes.Add(new TargetOutcome { Target = target, Done = false, Error = new(ErrorCodes.Timeout, "The request to Defender timed out; it was not resent. Check list_machine_actions for this device.") });
            }
        }

        var done = outcomes.Count(o => o.Done == true);
        var failed = outcomes.Count - done;
        call.ActionId = string.Join(",", outcomes.Where(o => o.ActionId is not null).Select(o => o.ActionId));
        call.Count("items", done);
        call.Count("failed", failed);
        if (failed > 0)
        {
            call.Outcome = done == 0 ? "error" : "partial";
        }

        return new BulkWriteResult
        {
            Tenant = tenant.Key,
            Done = done > 0,
            Action = plan.Action,
            Target = new(plan.TargetName, plan.TargetId),
            Comment = plan.Comment,
            Status = failed == 0 ? "sent" : done == 0 ? "failed" : "partial",
            Type = plan.ActionType,
            Targets = outcomes,
            Refused = plan.Refused,
        };
    }

    // What a token confirms: the arguments and the targets they resolved to at the preview, so the same arguments that
    // now name another object (or one the preview listed as refused) are not confirmed by it.
    private static JsonObject Bound(ToolCall call, WritePlan plan)
    {
        var bound = (JsonObject)call.Arguments.Validated.DeepClone();
        bound["@resolved_targets"] = plan.ResolvedTargets;
        return bound;
    }

    // Whose yes a confirmation token carries: the HTTP caller (kind and name), or null for the operator (stdio, call).
    private static string? TokenCaller(ToolCall call) =>
        Hosting.Http.CallerIdentity.From(call.Request.User) is { } caller ? caller.Kind + ":" + caller.Name : null;

    private async Task ElicitAsync(ToolCall call, TenantSettings tenant, WritePlan plan, CancellationToken cancellationToken)
    {
        var server = call.Request.Server;
        if (server.ClientCapabilities?.Elicitation is null)
        {
            call.Confirmation = "elicitation_unavailable";
            throw new ToolException(
                ErrorCodes.ConfirmationRequired,
                "This client cannot ask the user for confirmation (no MCP elicitation support), so the action was refused. An administrator can set \"confirmation\": \"token\" for this tenant (or DEFENDER_CONFIRMATION=token) to confirm with a preview and a single-use token instead.");
        }

        var message = plan.IsBulk ? BulkMessage(tenant, plan) :
            $"Confirm a response action in Microsoft Defender.\n" +
            $"Action: {OneLine(plan.Action)}\nTenant: {tenant.Key}\nTarget: {OneLine(plan.TargetName)} (id {OneLine(plan.TargetId)})\n" +
            (plan.TargetState is null ? string.Empty : $"Now: {OneLine(plan.TargetState)}\n") +
            (plan.Comment is null ? string.Empty : $"Comment: {OneLine(plan.Comment)}\n") +
            $"Request: {plan.Request.Method.Method} {plan.Request.Url.AbsolutePath}";
        // A person's answer is awaited as long as a confirmation token would stay valid, no longer: an unanswered dialog
        // (a client that never answers nor cancels) must not hold the call, its budget slot and the session forever.
        var lifetime = Services.Settings.ConfirmationTokenLifetime;
        using var unanswered = new CancellationTokenSource(lifetime, Services.Time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, unanswered.Token);
        ElicitResult result;
        try
        {
            result = await server.ElicitAsync(
                new ElicitRequestParams
                {
                    Message = message,
                    RequestedSchema = new ElicitRequestParams.RequestSchema
                    {
                        Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                        {
                            ["confirm"] = new ElicitRequestParams.BooleanSchema { Title = "Run this action", Description = "Tick to approve the action above; left unticked, nothing is sent." },
                        },
                        Required = ["confirm"],
                    },
                },
                wait.Token).ConfigureAwait(false);
        }
        catch (Hosting.Stdio.ClientInputEndedException)
        {
            call.Confirmation = "elicitation_unavailable";
            throw new ToolException(ErrorCodes.ConfirmationRequired, "The client closed its input before anyone could confirm, so the action was refused: nothing was sent to Defender.");
        }
        catch (OperationCanceledException) when (unanswered.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            call.Confirmation = "elicitation_unanswered";
            throw new ToolException(ErrorCodes.ConfirmationRequired, $"Nobody answered the confirmation within {Within(lifetime)}, so the action was refused: nothing was sent to Defender. Ask again when someone can answer.");
        }

        // Only a ticked box is a yes: a form sent with the box left unticked, or an accept with no content, says nothing
        // a person approved (the field is required, but a client may not enforce that).
        var approved = result.IsAccepted && result.Content is not null && result.Content.TryGetValue("confirm", out var confirm) && confirm.ValueKind == JsonValueKind.True;
        if (!approved)
        {
            call.Confirmation = "elicitation_declined";
            throw new ToolException(ErrorCodes.CancelledByUser, "Cancelled by user: nothing was sent to Defender.");
        }

        call.Confirmation = "elicitation_accepted";
    }

    private static string Within(TimeSpan span) => span.TotalSeconds % 60 == 0
        ? $"{span.TotalMinutes:0} minute{(span.TotalMinutes == 1 ? string.Empty : "s")}"
        : $"{span.TotalSeconds:0} s";

    // One confirmation for every device: each target by name and id, and each device left out with why.
    private static string BulkMessage(TenantSettings tenant, WritePlan plan)
    {
        var text = new System.Text.StringBuilder()
            .Append("Confirm a response action on ").Append(plan.Parts.Count).Append(" device(s) in Microsoft Defender.\n")
            .Append("Action: ").Append(OneLine(plan.Action)).Append("\nTenant: ").Append(tenant.Key).Append("\nTargets:\n");
        foreach (var part in plan.Parts)
        {
            text.Append("- ").Append(OneLine(part.TargetName)).Append(" (id ").Append(OneLine(part.TargetId)).Append(')')
                .Append(part.TargetState is null ? string.Empty : " now: " + OneLine(part.TargetState)).Append('\n');
        }

        if (plan.Refused.Count > 0)
        {
            text.Append("Refused (nothing will be sent to them):\n");
            foreach (var refused in plan.Refused)
            {
                text.Append("- ").Append(OneLine(refused.Target)).Append(refused.Id is null ? string.Empty : $" (id {OneLine(refused.Id)})").Append(": ").Append(OneLine(refused.Reason)).Append('\n');
            }
        }

        if (plan.Comment is not null)
        {
            text.Append("Comment: ").Append(OneLine(plan.Comment)).Append('\n');
        }

        return text.Append("Requests: one ").Append(plan.Request.Method.Method).Append(' ').Append(plan.Request.Url.AbsolutePath.Replace(plan.Parts[0].TargetId, "{device id}", StringComparison.Ordinal)).Append(" per device").ToString();
    }

    /// <summary>
    /// A value shown in a confirmation, on one line: a comment, a title or a name comes from the model or from Defender,
    /// and a line break in it could draw a line such as "Tenant: …" or "Action: …" that the person takes for the
    /// server's own. Line breaks show as ⏎; other control and direction-changing characters as \uXXXX.
    /// </summary>
    internal static string OneLine(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value ?? string.Empty;
        }

        var text = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\r' or '\n' or '\u2028' or '\u2029')
            {
                if (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n')
                {
                    i++;
                }

                text.Append(" \u23CE ");
            }
            else if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C')
            {
                text.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static async Task<ToolException> NamePendingActionAsync(DefenderClient client, WritePlan plan, DefenderApiException conflict, CancellationToken cancellationToken)
    {
        // Defender's 400 names no action: find the pending one so the caller can follow it instead of retrying.
        const string Advice = "Defender did not start another. Follow it with get_machine_action, or cancel it with cancel_machine_action before trying again.";
        try
        {
            var actions = await client.ListMachineActionsAsync(new MachineActionFilter { MachineId = plan.MachineId, Type = plan.ActionType }, 20, cancellationToken).ConfigureAwait(false);
            if (actions.FirstOrDefault(a => !MachineActionKind.IsFinal(a.Status)) is { } pending)
            {
                var since = pending.CreationDateTimeUtc is { } created ? $", requested {Text.Utc(created)}" : string.Empty;
                var by = string.IsNullOrEmpty(pending.Requestor) ? string.Empty : $" by {ErrorMapper.Clean(pending.Requestor, 120)}";
                return new ToolException(ErrorCodes.Conflict, $"{Article(plan.ActionType, capital: true)} {plan.ActionType} action is already {ErrorMapper.Clean(pending.Status ?? "pending", 20)} on {plan.TargetName}: action {ErrorMapper.Clean(pending.Id, 64)}{by}{since}. {Advice}");
            }
        }
        catch (DefenderApiException)
        {
            // Fall through: the refusal itself is still the answer.
        }

        return new ToolException(ErrorCodes.Conflict, $"{conflict.Message} {Article(plan.ActionType, capital: true)} {plan.ActionType} action is still pending on {plan.TargetName}; list_machine_actions shows it. {Advice}");
    }

    // Defender refused a device action as invalid (a release of a device that is not isolated, say): the state read
    // before the request is the likely reason, so name it, and where to see the device as it is now.
    private static ToolException RefusedInState(DefenderApiException refusal, WritePlan plan) =>
        new(refusal.CodeName, $"{refusal.Message} Before the request, the device read: {plan.TargetState} Nothing was changed; get_device shows its isolation and app restriction now, list_machine_actions its actions.");

    // "an Isolate", "a RunAntiVirusScan": the action types are English words.
    private static string Article(string? word, bool capital = false) =>
        (word is { Length: > 0 } && "AEIOU".Contains(word[0], StringComparison.Ordinal), capital) switch
        {
            (true, true) => "An",
            (true, false) => "an",
            (false, true) => "A",
            (false, false) => "a",
        };

    // The client's own advice (a timeout's "try again in a minute") is left out: a write may have acted, so what to do
    // next is this tool's to say.
    private static async Task<ToolException> LookUpAfterFailureAsync(DefenderClient client, WritePlan plan, DefenderApiException failure, CancellationToken cancellationToken)
    {
        // The write may have acted: never resend it; look for what Defender recorded instead.
        try
        {
            var actions = await client.ListMachineActionsAsync(new MachineActionFilter { MachineId = plan.MachineId, Type = plan.ActionType }, 5, cancellationToken).ConfigureAwait(false);
            var recent = actions.FirstOrDefault(a => a.Status is "Pending" or "InProgress");
            return recent is not null
                ? new ToolException(failure.CodeName, $"{failure.WhatHappened} Yet {Article(plan.ActionType)} {plan.ActionType} action is now {recent.Status} on this device: id {recent.Id}. It was not resent; follow it with get_machine_action.")
                : new ToolException(failure.CodeName, $"{failure.WhatHappened} No pending {plan.ActionType} action was found for this device, so it probably did not run; it was not resent. Check list_machine_actions before trying again.");
        }
        catch (DefenderApiException)
        {
            return new ToolException(failure.CodeName, $"{failure.WhatHappened} The action could not be looked up afterwards. It was not resent: check list_machine_actions before trying again.");
        }
    }
}
