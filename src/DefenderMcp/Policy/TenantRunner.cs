using System.Text.Json.Nodes;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>
/// Runs one read on every selected tenant with bounded concurrency. One failing tenant never spoils the others: its
/// outcome carries the exception instead of a result, and the tool layer decides how the failure reads.
/// </summary>
public static class TenantRunner
{
    /// <summary>One outcome per tenant of <paramref name="selection"/>, in configuration order.</summary>
    public static async Task<IReadOnlyList<TenantOutcome>> RunAsync(
        TenantSelection selection,
        int concurrency,
        Func<TenantSettings, CancellationToken, Task<JsonObject>> perTenant,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(perTenant);
        var tenants = selection.Tenants;
        var outcomes = new TenantOutcome[tenants.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, concurrency));
        var tasks = tenants.Select(async (tenant, index) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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
