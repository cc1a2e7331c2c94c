using System.IO.Pipelines;
using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting;

/// <summary>
/// A server and an SDK client joined by in-memory pipes: the real MCP protocol path without a process.
/// Used by <c>defender-mcp call</c> and by the tool tests.
/// </summary>
public sealed class InMemoryServerConnection : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stop;
    private readonly Task _run;

    private InMemoryServerConnection(ServiceProvider services, CancellationTokenSource stop, Task run, McpClient client)
    {
        _services = services;
        _stop = stop;
        _run = run;
        Client = client;
    }

    /// <summary>The connected SDK client.</summary>
    public McpClient Client { get; }

    /// <summary>The server's services (tests start its hosted services, as a host would).</summary>
    public IServiceProvider Services => _services;

    /// <summary>The server's audit log.</summary>
    public AuditLog Audit => _services.GetRequiredService<AuditLog>();

    /// <summary>Starts the server over pipes and connects a client with <paramref name="clientOptions"/>.</summary>
    public static async Task<InMemoryServerConnection> StartAsync(
        ServerSettings settings,
        TextWriter auditWriter,
        McpClientOptions? clientOptions,
        ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken)
    {
        Pipe clientToServer = new(), serverToClient = new();
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDefenderMcp(settings, auditWriter)
            .WithStreamServerTransport(clientToServer.Reader.AsStream(), serverToClient.Writer.AsStream());
        var provider = services.BuildServiceProvider();
        var server = provider.GetRequiredService<McpServer>();
        var stop = new CancellationTokenSource();
        var run = server.RunAsync(stop.Token);
        var client = await McpClient.CreateAsync(
            new StreamClientTransport(clientToServer.Writer.AsStream(), serverToClient.Reader.AsStream()),
            clientOptions,
            loggerFactory,
            cancellationToken).ConfigureAwait(false);
        return new InMemoryServerConnection(provider, stop, run, client);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // The run loop ends when the client's pipe closes; a slow end must not fail disposal.
        }

        await _services.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
