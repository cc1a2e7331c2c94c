using System.Text.Json.Nodes;
using DefenderMcp.Client;
using DefenderMcp.Client.Auth;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>
/// Runs one read on every selected tenant with bounded concurrency. One failing tenant never spoils the others: its
/// outcome carries the exception instead of a result, and the tool layer decides how the failure reads.
/// </summary>
public static class TenantRunner
{
    /// <summary>
    /// One outcome per tenant of <paramref name="selection"/>, in configuration order. With <paramref name="clients"/>,
    /// the tenants still waiting for a slot get their tokens while the others call (<see cref="TokenLookahead"/>), as
    /// many at a time as <paramref name="concurrency"/>.
    /// </summary>
    public static async Task<IReadOnlyList<TenantOutcome>> RunAsync(
        TenantSelection selection,
        int concurrency,
        Func<TenantSettings, CancellationToken, Task<JsonObject>> perTenant,
        CancellationToken cancellationToken,
        Func<TenantSettings, DefenderClient>? clients = null)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(perTenant);
        var tenants = selection.Tenants;
        var slots = Math.Max(1, concurrency);
        var outcomes = new TenantOutcome[tenants.Count];

        // 1 once a tenant's slot has begun: its own call gets its token, so the lookahead passes it by.
        var begun = new int[tenants.Count];
        using var lookahead = clients is null || tenants.Count <= slots
            ? null
            : TokenLookahead.Begin(
                [.. Enumerable.Range(slots, tenants.Count - slots).Select(i => (Func<DefenderClient?>)(() => Volatile.Read(ref begun[i]) == 0 ? clients(tenants[i]) : null))],
                slots,
                cancellationToken);
        using var gate = new SemaphoreSlim(slots);
        var tasks = tenants.Select(async (tenant, index) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref begun[index], 1);
            try
            {
                outcomes[index] = new TenantOutcome(tenant, await perTenant(tenant, cancellationToken).ConfigureAwait(false), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                outcomes[index] = new TenantOutcome(tenant, null, ex);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return outcomes;
    }
}
