using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting;
using DefenderMcp.Hosting.Stdio;
using DefenderMcp.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// A server spoken to in raw JSON-RPC lines, read as the stdio transport reads them (through
/// <see cref="LineCheckingInput"/>): for what the SDK's client refuses to write, such as a lone surrogate escape,
/// nesting past its depth, or an argument named twice. The client declares no capabilities, so a write that gets past
/// its checks is refused for want of confirmation and never acts.
/// </summary>
public sealed class RawServerConnection : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stop;
    private readonly Task _run;
    private readonly Stream _input;
    private readonly StreamReader _output;
    private int _nextId;

    private RawServerConnection(ServiceProvider services, CancellationTokenSource stop, Task run, Stream input, StreamReader output)
    {
        _services = services;
        _stop = stop;
        _run = run;
        _input = input;
        _output = output;
    }

    /// <summary>Starts a server with <paramref name="settings"/> and completes the initialize handshake.</summary>
    public static async Task<RawServerConnection> StartAsync(ServerSettings settings, CancellationToken cancellationToken)
    {
        Pipe clientToServer = new(), serverToClient = new();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var input = new LineCheckingInput(clientToServer.Reader.AsStream());
        services.AddDefenderMcp(settings, new SynchronizedWriter()).WithStreamServerTransport(input, serverToClient.Writer.AsStream());
        var provider = services.BuildServiceProvider();
        var server = provider.GetRequiredService<McpServer>();
        input.Attach(provider.GetRequiredService<ITransport>());
        var stop = new CancellationTokenSource();
        var run = server.RunAsync(stop.Token);
        var connection = new RawServerConnection(provider, stop, run, clientToServer.Writer.AsStream(), new StreamReader(serverToClient.Reader.AsStream(), Encoding.UTF8));
        await connection.RequestAsync("initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1.0"}}""", cancellationToken);
        await connection.SendLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", cancellationToken);
        return connection;
    }

    /// <summary>
    /// Sends one request with <paramref name="paramsJson"/> written as is, and returns its answer: the message with its id,
    /// or an error with id null (a line the server could not read an id from).
    /// </summary>
    public async Task<JsonElement> RequestAsync(string method, string paramsJson, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        await SendLineAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{paramsJson}}}""", cancellationToken);
        while (true)
        {
            var line = await _output.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("The server closed its output.");
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 512 });
            var message = document.RootElement;
            if (message.TryGetProperty("id", out var answered) &&
                ((answered.ValueKind == JsonValueKind.Number && answered.GetInt32() == id) || (answered.ValueKind == JsonValueKind.Null && message.TryGetProperty("error", out _))))
            {
                return message.Clone();
            }
        }
    }

    private async Task SendLineAsync(string line, CancellationToken cancellationToken)
    {
        await _input.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
        await _input.FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _input.DisposeAsync();
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // The run loop ends when its input closes; a slow end must not fail disposal.
        }

        _output.Dispose();
        await _services.DisposeAsync();
        _stop.Dispose();
    }
}
