using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting;

/// <summary>
/// The server's logger: every entry as one <see cref="ServerLogFormatter"/> line on stderr, written by the thread that
/// logs it. It replaces the framework's console logger, whose options binding, formatter lookup and queue thread were
/// part of every start (about 10 ms of CPU) for a server that logs little; the audit trail already writes to stderr
/// the same way.
/// </summary>
/// <param name="stderr">Where lines go: the process's stderr (in stdio mode stdout belongs to MCP).</param>
public sealed class ServerConsoleLoggerProvider(TextWriter stderr) : ILoggerProvider
{
    private readonly ServerLogFormatter _formatter = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new ServerConsoleLogger(categoryName, _formatter, stderr);

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing is buffered: each line was written when it was logged.
    }
}
