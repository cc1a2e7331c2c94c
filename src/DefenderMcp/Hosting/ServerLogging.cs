using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DefenderMcp.Hosting;

/// <summary>The server's logs: everything to stderr (stdout belongs to MCP in stdio mode), one escaped line per entry.</summary>
public static class ServerLogging
{
    /// <summary>Adds the console logger writing every level to stderr with <see cref="ServerLogFormatter"/>.</summary>
    public static ILoggingBuilder AddServerConsole(this ILoggingBuilder logging) => logging
        .AddConsole(o =>
        {
            o.LogToStandardErrorThreshold = LogLevel.Trace;
            o.FormatterName = ServerLogFormatter.FormatterName;
        })
        .AddConsoleFormatter<ServerLogFormatter, ConsoleFormatterOptions>();
}
