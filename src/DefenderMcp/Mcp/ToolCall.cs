using System.Collections.Concurrent;
using DefenderMcp.Policy;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Mcp;

/// <summary>One invocation of a tool: its request, validated arguments, and what the audit line will record.</summary>
public sealed class ToolCall(RequestContext<CallToolRequestParams> request, ToolArguments arguments)
{
    /// <summary>The MCP request (server, client capabilities, progress token).</summary>
    public RequestContext<CallToolRequestParams> Request { get; } = request;

    /// <summary>The validated arguments.</summary>
    public ToolArguments Arguments { get; } = arguments;

    /// <summary>The tenants the call reaches, once selected.</summary>
    public TenantSelection? Selection { get; set; }

    /// <summary>Counts for the audit line (rows, items ...); fan-out tenants add to them concurrently.</summary>
    public ConcurrentDictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Overrides the audit outcome (e.g. <c>partial</c>, <c>preview</c>, <c>dry_run</c>).</summary>
    public string? Outcome { get; set; }

    /// <summary>For writes: how the action was confirmed.</summary>
    public string? Confirmation { get; set; }

    /// <summary>For writes: the policy decision.</summary>
    public string? PolicyDecision { get; set; }

    /// <summary>For writes: the resulting action or object id.</summary>
    public string? ActionId { get; set; }

    /// <summary>
    /// For writes: the id that ties a confirmation token's preview, the <c>action_intent</c> line and the result line
    /// together (the token's nonce, never its MAC; a fresh id for elicitation or no confirmation).
    /// </summary>
    public string? ConfirmationId { get; set; }

    /// <summary>
    /// For a token preview: the targets it names (<c>target=NAME (ID)</c>, <c>refused=NAME (ID)</c>), written on its audit
    /// line, so the trail shows what the person was asked to approve.
    /// </summary>
    public IReadOnlyList<string> PreviewNotes { get; set; } = [];

    /// <summary>
    /// What the caller may do, read once when the call starts: a reload of the callers file while the call runs (a
    /// write waiting on its confirmation, say) does not change it. Null until the call has read it.
    /// </summary>
    public CallerGrant? Grant { get; init; }

    /// <summary>
    /// For writes: the caller named in the comments sent to Defender (<see cref="CommentAttribution"/>), or null when
    /// there is none or <c>DEFENDER_MCP_COMMENT_CALLER</c> is off.
    /// </summary>
    public string? CommentCaller { get; set; }

    /// <summary>Why the caller policy refused the call (<c>no_grant</c>, <c>tenant_not_granted</c>, <c>tier_not_granted</c>), for the <c>caller_refused</c> audit line.</summary>
    public string? CallerRefusal { get; set; }

    // The fan-out tenant whose task is running (flows down its awaits), and what each tenant added to the counts: a
    // tenant left out of the result by the byte budget must not stay counted as returned.
    // Made by the first fan-out tenant task only: a single-tenant call, the common one, pays for neither.
    private AsyncLocal<string?>? _tenant;
    private ConcurrentDictionary<string, ConcurrentDictionary<string, long>>? _byTenant;

    /// <summary>Adds to a count; safe to call from the tenant tasks of a fan-out.</summary>
    public void Count(string name, long value)
    {
        Counts.AddOrUpdate(name, value, (_, current) => current + value);
        if (_tenant?.Value is { } tenant && _byTenant is { } byTenant)
        {
            byTenant.GetOrAdd(tenant, _ => new(StringComparer.Ordinal)).AddOrUpdate(name, value, (_, current) => current + value);
        }
    }

    /// <summary>Runs one fan-out tenant's work, so that what it counts can be taken back by <see cref="LeaveOut"/>.</summary>
    public async Task<T> ForTenantAsync<T>(string tenantKey, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        LazyInitializer.EnsureInitialized(ref _byTenant, () => new(StringComparer.Ordinal));
        LazyInitializer.EnsureInitialized(ref _tenant, () => new()).Value = tenantKey;
        return await work().ConfigureAwait(false);
    }

    /// <summary>Takes back what the tenants <paramref name="tenantKeys"/> counted: their results were left out.</summary>
    public void LeaveOut(IEnumerable<string> tenantKeys)
    {
        ArgumentNullException.ThrowIfNull(tenantKeys);
        foreach (var key in tenantKeys)
        {
            if (_byTenant is { } byTenant && byTenant.TryRemove(key, out var counted))
            {
                foreach (var (name, value) in counted)
                {
                    Counts.AddOrUpdate(name, -value, (_, current) => current - value);
                }
            }
        }
    }
}
