using DefenderMcp.Client;
using DefenderMcp.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Warmup;

/// <summary>Adds the <see cref="IdleWarmup"/> to a server (on unless <see cref="ServerSettings.IdleWarmup"/> is off).</summary>
public static class IdleWarmupRegistration
{
    /// <summary>
    /// Registers the warm-up; <paramref name="startWithHost"/> starts it once the host has started (HTTP), otherwise
    /// it starts after the first tools/list answer has been written (stdio: never ahead of initialize or tools/list).
    /// </summary>
    public static IMcpServerBuilder WithIdleWarmup(this IMcpServerBuilder builder, ServerSettings settings, bool startWithHost)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.Services.AddSingleton(sp => new IdleWarmup(
            settings.IdleWarmup,
            settings.Tenants.Select(t => t.Connection.Credential).OfType<CertificateFileCredential>().FirstOrDefault(),
            startWithHost,
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<IdleWarmup>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IdleWarmup>());
        if (startWithHost || !settings.IdleWarmup)
        {
            return builder;
        }

        // Once the first tools/list answer has started the warm-up, later responses are not looked at.
        var started = 0;
        return builder.WithMessageFilters(filters => filters.AddOutgoingFilter(next => async (context, cancellationToken) =>
        {
            await next(context, cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref started) == 0
                && context.JsonRpcMessage is JsonRpcResponse { Result: System.Text.Json.Nodes.JsonObject result }
                && result.ContainsKey("tools")
                && context.Services?.GetService<IdleWarmup>() is { } warmup
                && Interlocked.Exchange(ref started, 1) == 0)
            {
                warmup.Start();
            }
        }));
    }
}
