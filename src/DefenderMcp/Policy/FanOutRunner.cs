using System.Text.Json.Nodes;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Policy;

/// <summary>
/// Runs one read on several tenants with bounded concurrency. One failing tenant never spoils the others:
/// its entry carries an error instead of a result. Labels are our tenant keys, never upstream text.
/// </summary>
public static class FanOutRunner
{
    /// <summary>The fan-out envelope <c>{fan_out, tenants, results}</c>, results in configuration order.</summary>
    public static async Task<FanOutOutcome> RunAsync(
        TenantSelection selection,
        int concurrency,
        Func<TenantSettings, CancellationToken, Task<JsonObject>> perTenant,
        CancellationToken cancellationToken)
    {
        var tenants = selection.Tenants;
        var entries = new JsonObject?[tenants.Count];
        var failures = 0;
        using var gate = new SemaphoreSlim(Math.Max(1, concurrency));
        var tasks = tenants.Select(async (tenant, index) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await perTenant(tenant, cancellationToken).ConfigureAwait(false);
                entries[index] = new JsonObject { ["tenant"] = tenant.Key, ["result"] = result };
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failures);
                var (code, message, retryAfter) = ToolErrors.Describe(ex);
                var error = new JsonObject { ["code"] = code, ["message"] = message };
                if (retryAfter is { } wait)
                {
                    error["retry_after"] = (int)Math.Ceiling(wait.TotalSeconds);
                }

                entries[index] = new JsonObject { ["tenant"] = tenant.Key, ["error"] = error };
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks).ConfigureAwait(false);

        var envelope = new JsonObject
        {
            ["fan_out"] = true,
            ["tenants"] = new JsonArray([.. tenants.Select(t => (JsonNode)JsonValue.Create(t.Key))]),
            ["results"] = new JsonArray([.. entries]),
        };
        return new FanOutOutcome(envelope, failures);
    }
}
