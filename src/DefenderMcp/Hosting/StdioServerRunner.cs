using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting;

/// <summary>Serves MCP over stdio. stdout carries only MCP frames; logs and the audit trail go to stderr.</summary>
public static class StdioServerRunner
{
    /// <summary>Runs until stdin closes or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(ServerSettings settings, IReadOnlyList<string> startNotes, CancellationToken cancellationToken)
    {
        // The empty builder adds no configuration sources and, above all, no stdout console logger.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddServerConsole();
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        builder.AddDefenderTelemetry();
        builder.Services.AddDefenderMcp(settings, Console.Error).WithStdioServerTransport();
        using var host = builder.Build();
        StartupAudit.Write(host.Services.GetRequiredService<AuditLog>(), settings, startNotes, "stdio");
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
