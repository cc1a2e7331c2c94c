using System.Text.Json.Nodes;
using System.Text.Json;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp.Results;
using DefenderMcp.Policy;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Mcp;

/// <summary>
/// Base of every respond-tier write. Order of checks: tier, input, target resolution, protected assets, action budget,
/// then dry run or confirmation (elicitation, token, or explicit none), then one request, never retried. After a 5xx
/// or timeout on a machine action, it looks up the device's pending actions and reports what it finds.
/// </summary>
public abstract class WriteTool(ToolDefinition definition, ToolServices services) : DefenderTool(definition, services)
{
    /// <summary>Parameters every write takes.</summary>
    protected static (string, JsonObject)[] CommonParameters =>
    [
        ("tenant", Schema.Tenant(allowFanOut: false)),
        ("dry_run", Schema.Boolean("Resolve the target and return the exact request without sending it.")),
        ("confirmation_token", Schema.String("For tenants with token confirmation: the token returned by the first call.", 200)),
    ];

    /// <summary>
    /// Validates arguments, resolves the target and builds the plan from the client's typed request builder; throws
    /// <see cref="ToolException"/> (or the client's invalid_input) on bad input, before anything is sent.
    /// </summary>
    protected abstract Task<WritePlan> PlanAsync(ToolCall call, TenantSettings tenant, DefenderClient client, CancellationToken cancellationToken);

    /// <inheritdoc />
    protected sealed override async Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var tenant = SelectTenants(call).Tenants[0];
        var dryRun = call.Arguments.Boolean("dry_run", false);
        var token = call.Arguments.OptionalString("confirmation_token", 200, audit: false);
        var client = Services.Tenants.GetClient(tenant);
        var plan = await PlanAsync(call, tenant, client, cancellationToken).ConfigureAwait(false);

        if (!dryRun && !Services.Budget.HasRoom(tenant.Key, tenant.Policy.MaxActionsPerHour, out var freesAt))
        {
            call.PolicyDecision = "denied_budget";
            throw new ToolException(ErrorCodes.PolicyDenied, $"The hourly action budget of tenant '{tenant.Key}' ({tenant.Policy.MaxActionsPerHour}) is spent; it frees up at {freesAt:u}.", freesAt - Services.Time.GetUtcNow());
        }

        call.PolicyDecision = "allowed";
        if (dryRun)
        {
            call.Confirmation = "dry_run";
            call.Outcome = "dry_run";
            return ToJson(Preview(tenant, plan, dryRun: true));
        }

        switch (tenant.Policy.Confirmation)
        {
            case ConfirmationMode.Elicitation:
                await ElicitAsync(call, tenant, plan, cancellationToken).ConfigureAwait(false);
                break;
            case ConfirmationMode.Token when token is null:
                var (issued, expires) = Services.Tokens.Issue(Definition.Name, tenant.Key, call.Arguments.Validated);
                call.Confirmation = "token_issued";
                call.Outcome = "preview";
                return ToJson(Preview(tenant, plan, dryRun: false) with
                {
                    Status = "confirmation_required",
                    ConfirmationToken = issued,
                    ExpiresAt = expires.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                    Message = "Nothing was sent. Show this preview to the user; if they approve, call the same tool with the same arguments plus confirmation_token.",
                });
            case ConfirmationMode.Token:
                if (!Services.Tokens.TryRedeem(token!, Definition.Name, tenant.Key, call.Arguments.Validated))
                {
                    call.Confirmation = "token_rejected";
                    throw new ToolException(ErrorCodes.ConfirmationRequired, "The confirmation token is invalid, expired, already used, or was issued for different arguments. Call again without confirmation_token for a new preview.");
                }

                call.Confirmation = "token";
                break;
            default:
                call.Confirmation = "none";
                break;
        }

        if (!Services.Budget.TryReserve(tenant.Key, tenant.Policy.MaxActionsPerHour, out var frees))
        {
            call.PolicyDecision = "denied_budget";
            throw new ToolException(ErrorCodes.PolicyDenied, $"The hourly action budget of tenant '{tenant.Key}' is spent; it frees up at {frees:u}.", frees - Services.Time.GetUtcNow());
        }

        WriteResult result;
        try
        {
            result = await plan.SendAsync(client, new WriteResult { Tenant = tenant.Key, Done = true, Action = plan.Action, Target = new(plan.TargetName, plan.TargetId), Comment = plan.Comment }, cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex) when (ex.Code is DefenderErrorCode.UpstreamError or DefenderErrorCode.Timeout && plan.MachineId is not null)
        {
            throw await LookUpAfterFailureAsync(client, plan, ex, cancellationToken).ConfigureAwait(false);
        }

        call.ActionId = result.AuditId;
        call.Count("items", 1);
        // Serialized as its runtime type: a tool's follow-up may return a result derived from WriteResult.
        return ToJson<object>(await CompleteAsync(call, tenant, client, result, cancellationToken).ConfigureAwait(false));
    }

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

    private static WriteResult Preview(TenantSettings tenant, WritePlan plan, bool dryRun) => new()
    {
        Tenant = tenant.Key,
        DryRun = dryRun,
        Action = plan.Action,
        Target = new(plan.TargetName, plan.TargetId),
        Comment = plan.Comment,
        Request = new(plan.Request.Method.Method, plan.Request.Url.AbsoluteUri, plan.Request.JsonBody is null ? null : JsonNode.Parse(plan.Request.JsonBody)),
    };

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

        var message =
            $"Confirm a response action in Microsoft Defender.\n" +
            $"Action: {plan.Action}\nTenant: {tenant.Key}\nTarget: {plan.TargetName} (id {plan.TargetId})\n" +
            (plan.Comment is null ? string.Empty : $"Comment: {plan.Comment}\n") +
            $"Request: {plan.Request.Method.Method} {plan.Request.Url.AbsolutePath}";
        var result = await server.ElicitAsync(
            new ElicitRequestParams
            {
                Message = message,
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                    {
                        ["confirm"] = new ElicitRequestParams.BooleanSchema { Title = "Run this action", Description = "Approve the action above." },
                    },
                },
            },
            cancellationToken).ConfigureAwait(false);
        var approved = result.IsAccepted && (result.Content is null || !result.Content.TryGetValue("confirm", out var confirm) || confirm.ValueKind != JsonValueKind.False);
        if (!approved)
        {
            call.Confirmation = "elicitation_declined";
            throw new ToolException(ErrorCodes.CancelledByUser, "Cancelled by user: nothing was sent to Defender.");
        }

        call.Confirmation = "elicitation_accepted";
    }

    private static async Task<ToolException> LookUpAfterFailureAsync(DefenderClient client, WritePlan plan, DefenderApiException failure, CancellationToken cancellationToken)
    {
        // The write may have acted: never resend it; look for what Defender recorded instead.
        try
        {
            var actions = await client.ListMachineActionsAsync(new MachineActionFilter { MachineId = plan.MachineId, Type = plan.ActionType }, 5, cancellationToken).ConfigureAwait(false);
            var recent = actions.FirstOrDefault(a => a.Status is "Pending" or "InProgress");
            return recent is not null
                ? new ToolException(failure.CodeName, $"Defender answered with an error ({failure.Message}) but a {plan.ActionType} action is now {recent.Status} on this device: id {recent.Id}. It was not resent; follow it with get_machine_action.")
                : new ToolException(failure.CodeName, $"Defender answered with an error ({failure.Message}). No pending {plan.ActionType} action was found for this device, so it probably did not run; it was not resent. Check list_machine_actions before trying again.");
        }
        catch (DefenderApiException)
        {
            return new ToolException(failure.CodeName, $"Defender answered with an error ({failure.Message}) and the action could not be looked up. It was not resent: check list_machine_actions before trying again.");
        }
    }
}
