using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using DefenderMcp.Mcp;
using ModelContextProtocol;

namespace DefenderMcp.Hosting;

/// <summary>One category's logger of <see cref="ServerConsoleLoggerProvider"/>: formats an entry and writes it as one line.</summary>
/// <param name="category">The logger's category.</param>
/// <param name="lineFormatter">Formats each entry (escaped, clipped, one line).</param>
/// <param name="stderr">Where lines go.</param>
internal sealed class ServerConsoleLogger(string category, ServerLogFormatter lineFormatter, TextWriter stderr) : ILogger
{
    // A writer per thread, as the console logger keeps: formatting allocates no new buffer per entry.
    [ThreadStatic]
    private static StringWriter? t_writer;

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null; // the format has no scopes

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || IsCallersMistake(logLevel, exception))
        {
            return;
        }

        var writer = t_writer ??= new StringWriter(CultureInfo.InvariantCulture);
        var buffer = writer.GetStringBuilder();
        try
        {
            lineFormatter.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), null, writer);
            if (buffer.Length > 0)
            {
                // One write per entry: the line (and an exception's indented frames) cannot interleave with another's.
                stderr.Write(buffer.ToString());
            }
        }
        finally
        {
            buffer.Clear();
            if (buffer.Capacity > 4096)
            {
                t_writer = null; // a long entry's buffer is not kept for the life of the thread
            }
        }
    }

    // A client's mistake (an unknown tool, prompt or resource, parameters of the wrong shape) is answered with its
    // JSON-RPC error, and the SDK logs it twice: as a handler's unhandled exception (error) and as a failed request
    // (warning, with the method and the message). The warning says it all; the error line would alarm an operator.
    // So with a read that needs the shared store while it is down for a moment (StoreUnavailableException): the
    // store's own warning and the SDK's say so, and no bug of the server's is involved.
    private bool IsCallersMistake(LogLevel logLevel, Exception? exception) =>
        logLevel >= LogLevel.Error
        && exception is StoreUnavailableException or McpProtocolException { ErrorCode: McpErrorCode.InvalidParams or McpErrorCode.MethodNotFound or McpErrorCode.ResourceNotFound }
        && category.StartsWith("ModelContextProtocol.", StringComparison.Ordinal);
}
