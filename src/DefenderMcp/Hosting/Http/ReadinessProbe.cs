using Microsoft.AspNetCore.Http;
using DefenderMcp.Client;
using DefenderMcp.Policy;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// <c>/readyz</c>: ready when the configuration is loaded, the server is not draining, the state store answers (Redis,
/// in a cluster: without it writes are refused), and every tenant's credential can get a token. The token answer is
/// reused for a short time so frequent probes don't spend token quota; the state store is asked every time. Which
/// tenant failed goes to the log, never into the HTTP answer.
/// </summary>
public sealed class ReadinessProbe(TenantRegistry tenants, GracefulDrain drain, State.IStateHealth state, TimeSpan cacheTime, TimeProvider time, ILogger<ReadinessProbe> logger)
{
    private static readonly TimeSpan TokenTimeout = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (bool Ready, DateTimeOffset At)? _last;

    /// <summary>True when the server can serve calls.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (drain.Draining)
        {
            return false;
        }

        if (!await state.IsAvailableAsync(cancellationToken).ConfigureAwait(false))
        {
            logger.LogWarning("Readiness: the state store cannot be reached");
            return false;
        }

        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } again)
            {
                return again;
            }

            var results = await Task.WhenAll(tenants.Settings.Tenants.Select(t => CanGetTokenAsync(t, cancellationToken))).ConfigureAwait(false);
            var ready = results.All(r => r);
            _last = (ready, time.GetUtcNow());
            return ready;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Answers the probe: 200 or 503 with a one-word status.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var ready = await IsReadyAsync(context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["status"] = ready ? "ready" : "not_ready" }, context.RequestAborted).ConfigureAwait(false);
    }

    private bool? Fresh() =>
        _last is { } last && time.GetUtcNow() - last.At < cacheTime ? last.Ready : null;

    private async Task<bool> CanGetTokenAsync(Configuration.TenantSettings tenant, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TokenTimeout);
        try
        {
            await tenants.GetClient(tenant).GetGrantedRolesAsync(DefenderApi.Graph, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Readiness: tenant {Tenant} cannot get a token ({ExceptionType})", tenant.Key, ex.GetType().Name);
            return false;
        }
    }
}
