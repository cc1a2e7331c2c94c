using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;
using DefenderMcp.State;
using DefenderMcp.State.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting;

/// <summary>
/// Chooses where the state that outlives a call lives: in this process (plus SQLite in the state folder for scheduled
/// hunts and action budgets) by default, or in Redis when <c>DEFENDER_MCP_REDIS</c> is set, so a cluster of replicas
/// shares budgets, confirmation tokens, hunting results, scheduled hunts and rate-limit windows.
/// </summary>
public static class StateRegistration
{
    /// <summary>Registers the state stores for <paramref name="settings"/>.</summary>
    public static IServiceCollection AddDefenderState(this IServiceCollection services, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Redis is { } redis)
        {
            services.AddSingleton(sp => RedisConnection.Connect(redis, sp.GetRequiredService<ILoggerFactory>().CreateLogger<RedisConnection>()));
            services.AddSingleton<IStateHealth>(sp => sp.GetRequiredService<RedisConnection>());
            services.AddSingleton<IActionBudgetStore>(sp => new RedisActionBudgetStore(sp.GetRequiredService<RedisConnection>()));
            services.AddSingleton<IConfirmationLedger>(sp => new RedisConfirmationLedger(sp.GetRequiredService<RedisConnection>()));
            services.AddSingleton<IResultCacheStore>(sp => new RedisResultCacheStore(sp.GetRequiredService<RedisConnection>(), settings.ResultCacheBytes));
            services.AddSingleton<IHuntScheduleStore>(sp => new RedisHuntScheduleStore(sp.GetRequiredService<RedisConnection>(), settings.HuntRetention));
            services.AddSingleton<IHuntRunLeases>(sp => new RedisHuntRunLeases(sp.GetRequiredService<RedisConnection>()));
            services.AddSingleton(sp => new TenantRegistry(settings, sp.GetRequiredService<ILoggerFactory>(), RateWindows(sp)));
            return services;
        }

        services.AddSingleton<IStateHealth, EmbeddedStateHealth>();
        if (settings.StateFolder is { } stateFolder)
        {
            // One file for the budgets and the schedules, so both survive a restart and hold for every process on it.
            services.AddSingleton(sp => new SqliteStateFile(stateFolder, sp.GetRequiredService<ILoggerFactory>().CreateLogger<SqliteStateFile>()));
            services.AddSingleton<IActionBudgetStore>(sp => new SqliteActionBudgetStore(sp.GetRequiredService<SqliteStateFile>(), sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddSingleton<IActionBudgetStore>(sp => new InMemoryActionBudgetStore(sp.GetRequiredService<TimeProvider>()));
        }

        // With a state folder the confirmation key and spent tokens live in it too: a token outlives a restart, is
        // spent once across every server and `call` on the folder, and a preview from one confirms on another.
        var tokenFolder = settings.SharedTokenFolder ?? (settings.StateFolder is { } state ? Path.Combine(state, "tokens") : null);
        services.AddSingleton<IConfirmationLedger>(sp => new InMemoryConfirmationLedger(
            sp.GetRequiredService<TimeProvider>(),
            tokenFolder is not null ? new SharedTokenFolder(tokenFolder, sp.GetRequiredService<ILoggerFactory>().CreateLogger<SharedTokenFolder>()) : null));
        services.AddSingleton<IHuntScheduleStore>(sp => settings.StateFolder is not null
            ? new SqliteHuntScheduleStore(sp.GetRequiredService<SqliteStateFile>(), settings.HuntRetention, sp.GetRequiredService<ILoggerFactory>().CreateLogger<SqliteHuntScheduleStore>())
            : new InMemoryHuntScheduleStore(settings.HuntRetention));
        if (settings.StateFolder is not null)
        {
            // Every process on the folder follows its schedules, and each slot runs in the one that claims it.
            services.AddSingleton<IHuntRunLeases>(sp => new SqliteHuntRunLeases(sp.GetRequiredService<SqliteStateFile>(), sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.AddSingleton<IHuntRunLeases, LocalHuntRunLeases>();
        }

        services.AddSingleton(sp => new TenantRegistry(settings, sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    private static Func<TenantSettings, IRateWindowStore> RateWindows(IServiceProvider services)
    {
        var redis = services.GetRequiredService<RedisConnection>();
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<RedisRateWindows>();
        return tenant => new RedisRateWindows(redis, tenant.Key, time, logger);
    }
}
