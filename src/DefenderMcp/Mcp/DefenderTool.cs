using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.Json;
using DefenderMcp.Audit;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>
/// Base of every Defender tool. It owns what must be the same for all of them: argument validation, the tier
/// check, error mapping (a bad call never takes the server down), structured results with the same JSON as text,
/// and exactly one audit line per call.
/// </summary>
public abstract class DefenderTool : McpServerTool
{
    private readonly Tool _protocolTool;
    private readonly IReadOnlyCollection<string> _parameters;
    private readonly ILogger _logger;

    /// <summary>Creates the tool from its definition.</summary>
    protected DefenderTool(ToolDefinition definition, ToolServices services)
    {
        Definition = definition;
        Services = services;
        _logger = services.LoggerFactory.CreateLogger(GetType());
        _parameters = [.. definition.Parameters.Select(p => p.Name)];
        _protocolTool = new Tool
        {
            Name = definition.Name,
            Title = definition.Title,
            Description = definition.Description,
            // Prebuilt by the start's prefetch when it got there first; the same schema either way.
            InputSchema = PrebuiltInputSchemas.For(definition),
            OutputSchema = OutputSchemas.For(definition.ResultType, definition.FanOut && definition.AnswersPerTenant),
            Annotations = new ToolAnnotations
            {
                Title = definition.Title,
                ReadOnlyHint = definition.ReadOnly,
                DestructiveHint = definition.Destructive,
                IdempotentHint = definition.Idempotent,
                OpenWorldHint = definition.OpenWorld,
            },
        };
    }

    /// <summary>The tool's static description.</summary>
    public ToolDefinition Definition { get; }

    /// <summary>Shared services.</summary>
    protected ToolServices Services { get; }

    /// <inheritdoc />
    public override Tool ProtocolTool => _protocolTool;

    /// <inheritdoc />
    public override IReadOnlyList<object> Metadata => [];

    /// <inheritdoc />
    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        ToolCall? call = null;
        string? errorCode = null;
        try
        {
            // The caller check comes first: a caller refused a tool learns nothing of its arguments either. The grant
            // is read once, here: the whole call keeps it, whatever a reload of the callers file does meanwhile.
            var grant = Services.Settings.Callers.Grant(CallerClaims.From(request.User), Services.Settings.Tenants);
            if (CallerRefusal(grant) is { } refusal)
            {
                call = new ToolCall(request, new ToolArguments(null, _parameters)) { PolicyDecision = "denied_caller", Grant = grant, CallerRefusal = refusal.Reason };
                RecordRefusedTenant(call, request.Params?.Arguments is { } raw && raw.TryGetValue("tenant", out var tenant) && tenant.ValueKind != JsonValueKind.Null ? tenant : null);
                throw new ToolException(ErrorCodes.PolicyDenied, refusal.Message);
            }

            call = new ToolCall(request, new ToolArguments(request.Params?.Arguments, _parameters)) { Grant = grant };

            // A read's upstream calls share one bound, from its first call on, however many it makes (a score and its
            // groups, a device then its list). A write's calls keep one each: a person's confirmation comes between.
            using var bound = Definition.ReadOnly ? CallBound.Begin() : null;
            var result = await ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
            var success = ToolResults.Success(result, Services.Settings.FanOutByteBudget, out var leftOut);
            if (leftOut.Count > 0)
            {
                // The audit line counts what the caller got: a left-out tenant's items were read but not returned.
                call.LeaveOut(leftOut);
                call.Count("left_out_tenants", leftOut.Count);
                call.Outcome = "partial";
            }

            return success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            errorCode = "cancelled";
            throw;
        }
        catch (Exception ex)
        {
            var (code, message, retryAfter) = ToolErrors.Describe(Explained(ex, call, call?.Selection?.Tenants is [var only] ? only.Key : null));
            errorCode = code;
            ToolFailureLog.Write(_logger, Definition.Name, ex, code);

            return ToolResults.Error(code, message, retryAfter);
        }
        finally
        {
            TryWriteAudit(request, call, errorCode, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// What a read looks up by id, so that Defender's 404 names the object, the id, the tenant and the tool that lists
    /// such objects instead of a bare "no such object"; null for tools that word their own.
    /// </summary>
    protected virtual TargetLookup? LookedUp => null;

    /// <summary>Runs the tool. Throw <see cref="ToolException"/> for problems the model can act on.</summary>
    protected abstract Task<JsonObject> ExecuteAsync(ToolCall call, CancellationToken cancellationToken);

    /// <summary>
    /// Selects the tenants of a call and refuses any whose effective tier (the lower of the tenant policy's and the
    /// caller's) is below this tool's tier.
    /// </summary>
    protected TenantSelection SelectTenants(ToolCall call, IReadOnlyList<string>? defaultKeys = null)
    {
        var grant = GrantFor(call);

        // A saved hunt may name its own tenants; they apply only when the call names none.
        var defaults = call.Arguments.Has("tenant") ? [] : (defaultKeys ?? []).Select(Services.Settings.FindTenant).OfType<TenantSettings>().ToList();
        if (defaults.Any(t => !grant.Allows(t.Key)))
        {
            call.PolicyDecision = "denied_caller";
            call.CallerRefusal = CallerRefusals.TenantNotGranted;
            throw new ToolException(ErrorCodes.PolicyDenied, "This saved hunt names tenants that are not available to this caller; pass 'tenant' with your own.");
        }

        TenantSelection selection;
        try
        {
            selection = defaults.Count > 0
                ? new TenantSelection(defaults, defaults.Count > 1)
                : TenantSelector.Select(call.Arguments.Raw("tenant"), Services.Settings, Definition.FanOut, grant);
        }
        catch (PolicyException ex) when (ex.Refusal == PolicyRefusal.Denied)
        {
            call.PolicyDecision = "denied_caller";
            call.CallerRefusal = CallerRefusals.TenantNotGranted;
            RecordRefusedTenant(call, call.Arguments.Raw("tenant"));
            throw;
        }

        if (selection.Audited is { } audited)
        {
            call.Arguments.Validated["tenant"] = audited;
        }

        call.Selection = selection;
        foreach (var tenant in selection.Tenants)
        {
            if (tenant.Policy.Actions < Definition.Tier)
            {
                call.PolicyDecision = "denied_tier";
                throw new ToolException(
                    ErrorCodes.PolicyDenied,
                    $"'{Definition.Name}' needs the {TierName(Definition.Tier)} tier, but tenant '{tenant.Key}' allows {TierName(tenant.Policy.Actions)} only. An administrator can change \"actions\" in the tenant's policy.");
            }

            var effective = grant.EffectiveTier(tenant);
            if (effective is null || effective < Definition.Tier)
            {
                call.PolicyDecision = "denied_caller";
                call.CallerRefusal = effective is null ? CallerRefusals.TenantNotGranted : CallerRefusals.TierNotGranted;
                throw new ToolException(
                    ErrorCodes.PolicyDenied,
                    $"'{Definition.Name}' needs the {TierName(Definition.Tier)} tier, but this caller may use {TierName(effective ?? ActionTier.Read)} only on tenant '{tenant.Key}'. An administrator can change the caller's \"actions\" in the callers file.");
            }
        }

        return selection;
    }

    // The caller is told nothing about tenants outside its grant; the operator's audit line says which one it asked for.
    private void RecordRefusedTenant(ToolCall call, JsonElement? raw)
    {
        if (TenantSelector.ForAudit(raw, Services.Settings) is { } tenant)
        {
            call.Arguments.Validated["tenant"] = tenant;
        }
    }

    /// <summary>
    /// What the caller of <paramref name="call"/> may do, as read when the call started; the operator (stdio, no
    /// caller) has the full tenant policy.
    /// </summary>
    protected CallerGrant GrantFor(ToolCall call) =>
        call.Grant ?? Services.Settings.Callers.Grant(CallerClaims.From(call.Request.User), Services.Settings.Tenants);

    // Before any argument is read: a caller never reaches a tool above its tier on every tenant it has (such tools
    // are not listed for it either), so no upstream request can follow. The refusal says what the caller lacks (its
    // own tier, or that no rule names it), never another caller's or a tenant it does not have.
    private (string Reason, string Message)? CallerRefusal(CallerGrant grant)
    {
        if (grant.IsUnrestricted)
        {
            return null;
        }

        return grant.HighestTier(Services.Settings.Tenants) switch
        {
            null => (CallerRefusals.NoGrant, $"'{Definition.Name}' is not available: no rule of the server's caller policy gives this caller any tenant. An administrator can add one for it in the callers file (DEFENDER_MCP_CALLERS_FILE)."),
            var highest when highest < Definition.Tier => (CallerRefusals.TierNotGranted, $"'{Definition.Name}' needs the {TierName(Definition.Tier)} tier, and this caller has {TierName(highest.Value)} at most. An administrator can change the caller's \"actions\" in the callers file."),
            _ => null,
        };
    }

    /// <summary>
    /// Runs a read on the selected tenants: directly for one tenant, as a bounded fan-out for several.
    /// </summary>
    protected async Task<JsonObject> RunReadAsync(
        ToolCall call,
        Func<TenantSettings, DefenderClient, int, CancellationToken, Task<JsonObject>> perTenant,
        CancellationToken cancellationToken,
        IReadOnlyList<string>? defaultTenants = null)
    {
        var selection = SelectTenants(call, defaultTenants);
        if (!selection.IsFanOut)
        {
            var tenant = selection.Tenants[0];
            return await perTenant(tenant, Services.Tenants.GetClient(tenant), 1, cancellationToken).ConfigureAwait(false);
        }

        var count = selection.Tenants.Count;
        var outcomes = await TenantRunner.RunAsync(
            selection,
            Services.Settings.FanOutConcurrency,
            async (tenant, ct) =>
            {
                try
                {
                    // Each tenant's read has one bound of its own from its first call; the fan-out's own bound caps the whole.
                    using var bound = CallBound.Begin();
                    return await call.ForTenantAsync(tenant.Key, () => perTenant(tenant, Services.Tenants.GetClient(tenant), count, ct)).ConfigureAwait(false);
                }
                catch (DefenderApiException ex)
                {
                    throw Explained(ex, call, tenant.Key);
                }
            },
            cancellationToken,
            Services.Tenants.GetClient,
            FanOutBound(selection)).ConfigureAwait(false);
        var failures = outcomes.Count(o => o.Error is not null);
        call.Count("failed_tenants", failures);
        if (failures > 0)
        {
            call.Outcome = failures == count ? "error" : "partial";
        }

        return FanOutEnvelope.From(outcomes);
    }

    // A fan-out ends within one call bound (the longest of its tenants') and a second for the answers in flight to land:
    // tenants still waiting by then are answered as timeouts instead of starting another bound of their own.
    private static TimeSpan FanOutBound(TenantSelection selection) =>
        selection.Tenants.Max(t => t.Connection.Retry.CallTimeout) + TimeSpan.FromSeconds(1);

    /// <summary>What a read says after a failed, slow or unreadable answer: it changed nothing, so trying again is safe.</summary>
    public const string ReadRetryAdvice = "A read changes nothing, so try it again in a minute; if it keeps failing, the service may be degraded (see Microsoft 365 service health).";

    // A read's Defender error with what to do next: a 404 names the object (the id was validated before any request,
    // so repeating it is safe; the tenant key is a configured one), a 403 says who grants the role and where the others
    // show, and a 5xx, timeout or unreadable answer that trying again is safe; an error whose client already says what
    // to do (its Advice, e.g. a timeout's or an oversized answer's) keeps its own. A write words its own failures
    // (WriteTool), since it may have acted.
    private Exception Explained(Exception error, ToolCall? call, string? tenantKey) => error switch
    {
        DefenderApiException { Code: DefenderErrorCode.NotFound } when LookedUp is { } target && call is not null && tenantKey is not null =>
            new ToolException(ErrorCodes.NotFound, $"No {target.Noun} with {target.Id.Name} '{call.Arguments.OptionalString(target.Id)}' in tenant '{tenantKey}'. {target.ListTool} shows the {target.Noun}s and their ids."),
        DefenderApiException { Code: DefenderErrorCode.PermissionDenied, Advice: null } denied when Definition.ReadOnly =>
            new ToolException(denied.CodeName, $"{denied.Message} An administrator grants it to the app registration as an application permission, with admin consent; get_server_status lists every role this tenant still lacks."),
        DefenderApiException { Code: DefenderErrorCode.UpstreamError or DefenderErrorCode.Timeout, Advice: null } failed when Definition.ReadOnly =>
            new ToolException(failed.CodeName, $"{failed.Message} {ReadRetryAdvice}", failed.RetryAfter),
        _ => error,
    };

    /// <summary>Serializes a result record with the tool JSON options.</summary>
    protected static JsonObject ToJson<T>(T value) => JsonSerializer.SerializeToNode(value, ToolJson.Options)!.AsObject();

    private static string TierName(ActionTier tier) => tier switch
    {
        ActionTier.Read => "read",
        ActionTier.Respond => "respond",
        _ => "live_response",
    };

    // The audit line is written from a finally: nothing may escape it, or the tool's own result would be replaced by the
    // SDK's generic error. A failure is logged (type only) and the result still returns.
    private void TryWriteAudit(RequestContext<CallToolRequestParams> request, ToolCall? call, string? errorCode, TimeSpan elapsed)
    {
        try
        {
            WriteAudit(request, call, errorCode, elapsed);
        }
        catch (Exception ex)
        {
            _logger.LogError("The audit line for {Tool} could not be written: {ExceptionType}", Definition.Name, ex.GetType().FullName);
        }
    }

    private void WriteAudit(RequestContext<CallToolRequestParams> request, ToolCall? call, string? errorCode, TimeSpan elapsed)
    {
        Services.Audit.Write(AuditRequester.Stamp(new AuditRecord
        {
            Event = "tool_call",
            Tool = Definition.Name,
            Tenants = call?.Selection?.Keys ?? [],
            Parameters = call?.Arguments.Validated,
            DurationMs = (long)elapsed.TotalMilliseconds,
            Outcome = errorCode is null ? call?.Outcome ?? "success" : (errorCode == "cancelled" ? "cancelled" : "error"),
            ErrorCode = errorCode is null or "cancelled" ? null : errorCode,
            Counts = call is null ? null : new SortedDictionary<string, long>(call.Counts, StringComparer.Ordinal),
            Confirmation = call?.Confirmation,
            PolicyDecision = call?.PolicyDecision,
            ActionId = call?.ActionId,
            Notes = call?.ConfirmationId is { } confirmationId ? [$"confirmation_id={confirmationId}", .. call.PreviewNotes] : null,
        }, request));

        // The coalesced security signal beside the call's own line: a flood of refused calls is one line per window.
        if (call?.CallerRefusal is { } reason && Hosting.Http.CallerIdentity.From(request.User) is { } caller)
        {
            Services.Refusals.Refused(caller.Refusal(reason, request.User, Definition.Name));
        }
    }
}
