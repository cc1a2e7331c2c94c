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
    /// many at a time as <paramref name="concurrency"/>. With <paramref name="bound"/>, the whole run ends within it: each
    /// tenant's own call is bounded, but tenants that wait for a slot behind hung ones would add bound after bound (40
    /// hung tenants, 5 at a time, took 8 bounds), so a tenant not answered when it runs out gets a <c>timeout</c> outcome.
    /// </summary>
    public static async Task<IReadOnlyList<TenantOutcome>> RunAsync(
        TenantSelection selection,
        int concurrency,
        Func<TenantSettings, CancellationToken, Task<JsonObject>> perTenant,
        CancellationToken cancellationToken,
        Func<TenantSettings, DefenderClient>? clients = null,
        TimeSpan? bound = null)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(perTenant);
        var tenants = selection.Tenants;
        var slots = Math.Max(1, concurrency);
        var outcomes = new TenantOutcome[tenants.Count];

        // Only a run with tenants queued behind others can outlast one tenant's bound.
        using var deadline = bound is { } limit && tenants.Count > slots ? new CancellationTokenSource(limit) : null;
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var run = linked?.Token ?? cancellationToken;

        // 1 once a tenant's slot has begun: its own call gets its token, so the lookahead passes it by.
        var begun = new int[tenants.Count];
        using var lookahead = clients is null || tenants.Count <= slots
            ? null
            : TokenLookahead.Begin(
                [.. Enumerable.Range(slots, tenants.Count - slots).Select(i => (Func<DefenderClient?>)(() => Volatile.Read(ref begun[i]) == 0 ? clients(tenants[i]) : null))],
                slots,
                run);
        using var gate = new SemaphoreSlim(slots);
        var tasks = tenants.Select(async (tenant, index) =>
        {
            try
            {
                await gate.WaitAsync(run).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
            {
                outcomes[index] = new TenantOutcome(tenant, null, OutOfTime(bound!.Value, started: false));
                return;
            }

            Volatile.Write(ref begun[index], 1);
            try
            {
                outcomes[index] = new TenantOutcome(tenant, await perTenant(tenant, run).ConfigureAwait(false), null);
            }
            catch (Exception) when (deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
            {
                outcomes[index] = new TenantOutcome(tenant, null, OutOfTime(bound!.Value, started: true));
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

    private static FanOutBoundException OutOfTime(TimeSpan bound, bool started) => new(
        $"The whole call's time bound ({bound.TotalSeconds:0} s) ran out before this tenant answered: " +
        (started ? "its request was stopped." : "it was still waiting behind slower tenants and was not asked.") +
        " Nothing was changed; ask for it alone (tenant = its key) or for fewer tenants at once.");
}
