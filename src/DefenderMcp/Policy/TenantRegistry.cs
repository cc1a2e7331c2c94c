using System.Collections.Concurrent;
using DefenderMcp.Client;
using DefenderMcp.Client.Http;
using DefenderMcp.Configuration;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Policy;

/// <summary>
/// Holds one Defender client per configured tenant, created on first use, over connection pools they share;
/// <paramref name="rateWindows"/> gives each tenant's client the store its rate limits are counted in (in this process
/// when null; Redis in a cluster).
/// </summary>
public sealed class TenantRegistry(ServerSettings settings, ILoggerFactory loggerFactory, Func<TenantSettings, IRateWindowStore>? rateWindows = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<DefenderClient>> _clients = new(StringComparer.Ordinal);
    private readonly SharedConnections _connections = new();

    /// <summary>The configuration the registry serves.</summary>
    public ServerSettings Settings { get; } = settings;

    /// <summary>The client of a configured tenant, once the upstream serves (see <see cref="ServerSettings.Upstream"/>).</summary>
    /// <exception cref="DefenderApiException">The upstream could not start.</exception>
    public DefenderClient GetClient(TenantSettings tenant)
    {
        Settings.Upstream?.Wait();
        return _clients.GetOrAdd(
            tenant.Key,
            _ => new Lazy<DefenderClient>(() => DefenderClient.Create(tenant.Connection with { TenantKey = tenant.Key }, _connections, loggerFactory, rateWindows?.Invoke(tenant)))).Value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        _connections.Dispose();
    }
}
