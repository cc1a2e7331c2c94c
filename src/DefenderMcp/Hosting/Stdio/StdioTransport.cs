using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Hosting.Stdio;

/// <summary>
/// The stdio transport: the SDK's own stream transport over stdin (through <see cref="LineCheckingInput"/>, so a line
/// that is not a JSON object is answered) and a buffered stdout, as the SDK's stdio transport sets them up; messages are
/// written with JSON's own escaping only (<see cref="CompactStreamServerTransport"/>).
/// </summary>
internal static class StdioTransport
{
    /// <summary>Puts this transport in place of the one <c>WithStdioServerTransport</c> registers (made lazily, so never made).</summary>
    public static IMcpServerBuilder WithLineCheckedStdio(this IMcpServerBuilder builder)
    {
        builder.WithStdioServerTransport();
        var registered = builder.Services.Single(d => d.ServiceType == typeof(ITransport));
        builder.Services.Remove(registered);
        builder.Services.AddSingleton(Create);
        return builder;
    }

    private static ITransport Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<McpServerOptions>>().Value;
        var loggers = services.GetService<ILoggerFactory>();
        var input = new LineCheckingInput(Console.OpenStandardInput(), loggers?.CreateLogger(typeof(LineCheckingInput).FullName!));
        var transport = new CompactStreamServerTransport(input, new BufferedStream(Console.OpenStandardOutput()), options.ServerInfo?.Name ?? "defender-mcp", loggers);
        input.Attach(transport);
        return transport;
    }
}
