using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting.Stdio;
using DefenderMcp.Hosting.Warmup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting;

/// <summary>Serves MCP over stdio. stdout carries only MCP frames; logs and the audit trail go to stderr.</summary>
public static class StdioServerRunner
{
    /// <summary>
    /// Runs until stdin closes or <paramref name="cancellationToken"/> fires, then writes the <c>server_stop</c> audit line;
    /// false, without serving, when <paramref name="readyToServe"/> (awaited once the host is built, before anything is
    /// read or written) says no.
    /// </summary>
    public static async Task<bool> RunAsync(ServerSettings settings, IReadOnlyList<string> startNotes, CancellationToken cancellationToken, Func<Task<bool>>? readyToServe = null)
    {
        // The empty builder adds no configuration sources and, above all, no stdout console logger.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddServerConsole();
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        builder.AddDefenderTelemetry();
        builder.Services.AddDefenderMcp(settings, Console.Error).WithLineCheckedStdio().WithIdleWarmup(settings, startWithHost: false);
        using var host = builder.Build();
        if (readyToServe is not null && !await readyToServe().ConfigureAwait(false))
        {
            return false;
        }

        var audit = host.Services.GetRequiredService<AuditLog>();
        StartupAudit.Write(audit, settings, startNotes, "stdio");
        var stop = new StopAudit(audit, "stdio", host.Services.GetRequiredService<TimeProvider>());
        try
        {
            // Not RunAsync: it disposes the host (and the audit log with it) before a server_stop line could be written.
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            stop.Write();
        }
        finally
        {
            if (host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync().ConfigureAwait(false);
            }
        }

        return true;
    }
}
