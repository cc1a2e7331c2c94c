using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;
using DefenderMcp.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting;

/// <summary>Registers the DefenderMcp server (tools, tenants, audit) on a service collection.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Adds the MCP server with the tools this configuration exposes; the caller picks the transport.</summary>
    public static IMcpServerBuilder AddDefenderMcp(this IServiceCollection services, ServerSettings settings, TextWriter auditConsole)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new AuditLog(auditConsole, settings.AuditFilePath, sp.GetRequiredService<TimeProvider>(), settings.AuditMaxFileBytes));
        services.AddSingleton(sp => new CallerRefusalAudit(sp.GetRequiredService<AuditLog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddDefenderState(settings);
        services.AddSingleton(sp => new HuntingResultCache(
            settings.ResultCacheBytes,
            settings.ResultCacheTtl,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IResultCacheStore>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<HuntingResultCache>()));
        services.AddSingleton(_ => SavedHuntLibrary.Load(settings.HuntsFolder));
        services.AddSingleton(sp => new HuntScheduler(
            settings,
            sp.GetRequiredService<TenantRegistry>(),
            sp.GetRequiredService<HuntingResultCache>(),
            sp.GetRequiredService<SavedHuntLibrary>(),
            sp.GetRequiredService<IHuntScheduleStore>(),
            sp.GetRequiredService<IHuntRunLeases>(),
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<HuntScheduler>()));
        services.AddHostedService<HuntScheduleResumer>();
        services.AddSingleton(sp => new ToolServices(
            settings,
            sp.GetRequiredService<TenantRegistry>(),
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<HuntingResultCache>(),
            sp.GetRequiredService<SavedHuntLibrary>(),
            sp.GetRequiredService<HuntScheduler>(),
            new Policy.ActionBudget(sp.GetRequiredService<IActionBudgetStore>()),
            new Policy.ConfirmationTokens(sp.GetRequiredService<TimeProvider>(), settings.ConfirmationTokenLifetime, sp.GetRequiredService<IConfirmationLedger>()),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CallerRefusalAudit>()));

        // The SDK collects every McpServerTool singleton; only the tools this configuration may list are registered.
        foreach (var (_, create) in ToolCatalog.Visible(settings))
        {
            services.AddSingleton<McpServerTool>(sp => create(sp.GetRequiredService<ToolServices>()));
        }

        return services.AddMcpServer(options =>
            {
                options.ServerInfo = new() { Name = "defender-mcp", Title = "DefenderMcp", Version = ServerVersion.Current };
                options.ServerInstructions = ServerInstructions.Text;
            })
            .WithRequestFilters(filters => filters
                .AddListToolsFilter(next => CallerToolListFilter.Create(next, settings))
                .AddReadResourceFilter(next => CallerResourceFilter.Create(next, settings)))
            .WithResources(DefenderResources.Templates())
            .WithPrompts(DefenderPrompts.All())
            .WithDefenderProtocol(settings);
    }
}
