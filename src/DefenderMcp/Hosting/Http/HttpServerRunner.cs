using Microsoft.AspNetCore.Http;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting.Warmup;
using DefenderMcp.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// Serves MCP over Streamable HTTP at <c>/mcp</c> (stateful sessions, so elicitation, progress and cancellation work),
/// with the same tools as stdio. In front of the SDK: error guard, Host/Origin check, caller authentication, per-caller
/// rate limit, shutdown drain, per-caller session cap and the caller's text for a missing or unknown session.
/// <c>/healthz</c> and <c>/readyz</c> need no credential. Logs and the audit trail go to stderr (and the audit file).
/// </summary>
public static class HttpServerRunner
{
    /// <summary>The MCP endpoint path.</summary>
    public const string McpPath = "/mcp";

    /// <summary>Runs until SIGTERM/Ctrl+C or <paramref name="cancellationToken"/>; returns the exit code (2 on a bad setup).</summary>
    public static async Task<int> RunAsync(ServerSettings settings, IReadOnlyList<string> startNotes, HttpServerOptions http, string? demoKey, CancellationToken cancellationToken)
    {
        var problems = new List<string>(http.Validate(demoKey is not null));
        if (problems.Count == 0)
        {
            problems.AddRange(ListenProbe.Check(http.Urls));
        }

        ApiKeyStore? store = null;
        if (problems.Count == 0 && http.ApiKeysFile is { } keysFile)
        {
            store = new ApiKeyStore(keysFile);
            try
            {
                store.Load();
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"DEFENDER_MCP_API_KEYS_FILE: cannot read the keys file ({ex.Message})");
            }
        }

        if (problems.Count == 0 && http.CallersFile is { } callersFile)
        {
            try
            {
                settings = settings with { Callers = CallersFile.Load(callersFile, [.. settings.Tenants.Select(t => t.Key)]) };
            }
            catch (ConfigurationException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        var (certificate, tlsProblem) = problems.Count == 0 && http.Urls.Any(u => u.Https) ? TlsCertificate.Load(http) : (null, null);
        if (tlsProblem is not null)
        {
            problems.Add(tlsProblem);
        }

        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync("defender-mcp: cannot serve over HTTP:").ConfigureAwait(false);
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync("  - " + problem).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("See docs/deployment.md.").ConfigureAwait(false);
            return 2;
        }

        var match = KeyMatcher(store, demoKey);
        var anonymous = match is null && http.Entra is null;
        await using var app = Build(settings, http, match, certificate);
        store?.ReportTo(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DefenderMcp.Http.ApiKeys"));
        var mode = "auth=" + (anonymous ? "anonymous_loopback" : string.Join('+', new[] { store is not null ? "api_keys" : demoKey is not null ? "demo_key" : null, http.Entra is not null ? "entra" : null }.OfType<string>()));
        // Recorded at start: without a callers file every authenticated caller has the whole tenant policy.
        mode += settings.Callers.IsEnforced ? $" callers={settings.Callers.Rules.Count}" : anonymous ? string.Empty : " callers=unrestricted";

        var audit = app.Services.GetRequiredService<AuditLog>();
        StartupAudit.Write(audit, settings, [.. startNotes, mode, $"urls={string.Join(' ', http.Urls)}"], "http");
        var stop = new StopAudit(audit, "http", app.Services.GetRequiredService<TimeProvider>());
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            await Console.Error.WriteLineAsync($"defender-mcp: serving MCP over Streamable HTTP at {address}{McpPath} ({mode})").ConfigureAwait(false);
        }

        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        // The host has stopped, so the drain is over and every call's line is written; the app (and its audit log) is
        // disposed on the way out.
        stop.Write();
        certificate?.Dispose();
        return 0;
    }

    private static WebApplication Build(ServerSettings settings, HttpServerOptions http, Func<string, string?>? match, X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "DefenderMcp", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = http.MaxConnections;
            // MCP over Streamable HTTP never upgrades a connection (no WebSockets), so none may be held as one.
            kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
            foreach (var url in http.Urls)
            {
                Listen(kestrel, url, certificate);
            }
        });
        builder.Logging.AddServerConsole();
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = http.ShutdownDeadline + TimeSpan.FromSeconds(10));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(http);
        builder.Services.AddSingleton(new HostOriginGuard(http));
        var sessionCap = new SessionCap(http.MaxSessionsPerCaller, http.SessionIdleTimeout, TimeProvider.System);
        builder.Services.AddSingleton(sessionCap);
        var liveSessions = new LiveSessions();
        var failedInitializeEnd = new FailedInitializeEnd(liveSessions);
        var cancelledRequestEnd = new CancelledRequestEnd();
        builder.Services.AddSingleton(sp => new GracefulDrain(http.ShutdownDeadline, sp.GetRequiredService<ILogger<GracefulDrain>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GracefulDrain>());
        builder.Services.AddSingleton(sp => new ReadinessProbe(
            sp.GetRequiredService<TenantRegistry>(),
            sp.GetRequiredService<GracefulDrain>(),
            sp.GetRequiredService<State.IStateHealth>(),
            http.ReadinessCacheTime,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ReadinessProbe>>()));
        // Authentication pulls in data protection; nothing here needs keys that outlive the process, so none go to disk.
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        var authentication = builder.Services.AddCallerAuthentication(match, anonymous: match is null && http.Entra is null, entra: http.Entra is not null);
        if (http.Entra is { } entra)
        {
            authentication.AddEntraCallers(entra, apiKeys: match is not null);
        }

        builder.Services.AddCallerRateLimiting(http);
        builder.AddDefenderTelemetry();
        var mcp = builder.Services.AddDefenderMcp(settings, Console.Error);
        if (http.CallersFile is { } callersFile)
        {
            var toolLists = new ToolListChanges();
            builder.Services.Configure<ModelContextProtocol.Server.McpServerOptions>(toolLists.Adopt);
            mcp.WithTargetedToolListChanges(settings, liveSessions);
            builder.Services.AddHostedService(sp => new CallersFileWatch(
                callersFile,
                [.. settings.Tenants.Select(t => t.Key)],
                settings.CallerPolicies,
                sp.GetRequiredService<AuditLog>(),
                sp.GetRequiredService<ILogger<CallersFileWatch>>(),
                toolLists: toolLists));
        }

        mcp.WithHttpTransport(o =>
        {
            o.SessionMode = HttpServerSessionMode.Stateful;
#pragma warning disable MCP9006 // IdleTimeout is marked obsolete with stateful sessions, which elicitation needs.
            o.IdleTimeout = http.SessionIdleTimeout;
#pragma warning restore MCP9006
#pragma warning disable MCPEXP002 // RunSessionHandler is experimental; it is how the session cap and the DELETE guard learn a session started or ended.
            o.RunSessionHandler = liveSessions.Tracking(failedInitializeEnd.Ending(sessionCap.RunSessionAsync));
#pragma warning restore MCPEXP002
        }).WithIdleWarmup(settings, startWithHost: true)
            .WithMessageFilters(filters => filters.AddIncomingFilter(failedInitializeEnd.Incoming).AddOutgoingFilter(failedInitializeEnd.Outgoing)
                .AddIncomingFilter(cancelledRequestEnd.Incoming)
                .AddOutgoingFilter(StaticListCapabilities.Outgoing));

        // Data protection's hosted service would still make a key ring in ~/.aspnet at start (and warn that it is kept
        // unencrypted), though the ephemeral provider above never reads it: HOME stays untouched.
        foreach (var keyRingLoader in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) &&
            d.ImplementationType?.Assembly == typeof(EphemeralDataProtectionProvider).Assembly).ToList())
        {
            builder.Services.Remove(keyRingLoader);
        }

        var app = builder.Build();
        var errorLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DefenderMcp.Http");
        app.Use(RequestSpanTags.InvokeAsync);
        app.Use((context, next) => HttpErrors.GuardAsync(context, next, errorLogger));
        var guard = app.Services.GetRequiredService<HostOriginGuard>();
        app.UseWhen(IsMcp, branch => branch.Use(guard.InvokeAsync));
        app.UseWhen(IsMetadata, branch => branch.Use(guard.InvokeHostOnlyAsync));
        app.UseRouting();
        app.UseAuthentication();
        if (match is not null || http.Entra is not null)
        {
            var refused = new RefusedCredentialAudit(app.Services.GetRequiredService<CallerRefusalAudit>(), apiKeys: match is not null, entra: http.Entra is not null);
            app.UseWhen(IsMcp, branch => branch.Use(refused.InvokeAsync));
        }

        app.UseWhen(IsMcp, branch => branch.Use(McpAuthenticationGate.InvokeAsync).Use(UnsupportedMediaTypeText.InvokeAsync));
        app.UseAuthorization();
        app.UseRateLimiter();
        var drain = app.Services.GetRequiredService<GracefulDrain>();
        app.UseWhen(IsMcp, branch => branch.Use(drain.InvokeAsync).Use(sessionCap.InvokeAsync).Use(InitializeParamsCheck.InvokeAsync).Use(liveSessions.InvokeAsync).Use(CompactJsonQuotes.InvokeAsync).Use(SessionErrorText.InvokeAsync).Use(cancelledRequestEnd.InvokeAsync));

        app.MapGet("/healthz", static context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["status"] = "ok" }, context.RequestAborted);
        });
        var probe = app.Services.GetRequiredService<ReadinessProbe>();
        app.MapGet("/readyz", probe.HandleAsync);
        if (http.Entra is { } entraOptions)
        {
            app.MapProtectedResourceMetadata(entraOptions, McpPath);
        }

        app.MapMcp(McpPath).RequireAuthorization(CallerAuthentication.Policy).RequireRateLimiting(CallerRateLimiting.Policy);
        return app;
    }

    // Routing matches paths case-insensitively, so this must too: /MCP reaches the MCP endpoint, and must not skip the
    // Host/Origin guard, the drain or the session cap on the way.
    private static bool IsMetadata(HttpContext context) => context.Request.Path.StartsWithSegments(EntraAuthentication.MetadataPath, StringComparison.OrdinalIgnoreCase);

    private static bool IsMcp(HttpContext context) => context.Request.Path.StartsWithSegments(McpPath, StringComparison.OrdinalIgnoreCase);

    private static void Listen(KestrelServerOptions kestrel, ListenAddress url, X509Certificate2? certificate)
    {
        Action<ListenOptions> configure = listen =>
        {
            if (url.Https)
            {
                listen.UseHttps(certificate!);
            }
        };
        if (url.Host is null)
        {
            kestrel.ListenAnyIP(url.Port, configure);
        }
        else if (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            if (url.Port == 0)
            {
                kestrel.Listen(IPAddress.Loopback, 0, configure);
            }
            else
            {
                kestrel.ListenLocalhost(url.Port, configure);
            }
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(url.Host), url.Port, configure);
        }
    }

    // Store keys and the demo key, each compared in constant time; null when no key can authenticate (anonymous loopback).
    private static Func<string, string?>? KeyMatcher(ApiKeyStore? store, string? demoKey)
    {
        if (store is null && demoKey is null)
        {
            return null;
        }

        var demoHash = demoKey is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(demoKey));
        return presented =>
        {
            var fromStore = store?.Match(presented);
            if (demoHash is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), demoHash))
            {
                return fromStore ?? "demo";
            }

            return fromStore;
        };
    }
}
