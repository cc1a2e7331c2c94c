using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting;

/// <summary>The server's logs: everything to stderr (stdout belongs to MCP in stdio mode), one escaped line per entry.</summary>
public static class ServerLogging
{
    /// <summary>Adds the logger writing every level to stderr with <see cref="ServerLogFormatter"/>.</summary>
    public static ILoggingBuilder AddServerConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider>(new ServerConsoleLoggerProvider(Console.Error)));
        return logging;
    }
}
