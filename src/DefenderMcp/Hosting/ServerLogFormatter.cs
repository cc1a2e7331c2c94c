using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using ModelContextProtocol;

namespace DefenderMcp.Hosting;

/// <summary>
/// The server's stderr log format: one line per entry, like the console's simple format. Messages can quote what a
/// caller sent (the SDK names an unknown tool as given), so control characters are escaped and a message is clipped:
/// a caller cannot forge log lines or flood them. A protocol error the caller caused (<see cref="McpProtocolException"/>:
/// an unknown tool, bad parameters), a cancellation (a caller that went away) or a refused bearer token is logged by
/// its message alone, without a stack trace that says nothing about us.
/// </summary>
public sealed class ServerLogFormatter() : ConsoleFormatter(FormatterName)
{
    /// <summary>The name the console logger selects it by.</summary>
    public const string FormatterName = "defender-mcp";

    /// <summary>Characters of a message kept; the rest is cut.</summary>
    public const int MaxMessageLength = 2000;

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? string.Empty;
        var line = new StringBuilder(128)
            .Append(Level(logEntry.LogLevel)).Append(": ").Append(logEntry.Category)
            .Append('[').Append(logEntry.EventId.Id).Append("] ");
        AppendEscaped(line, message, MaxMessageLength);
        switch (logEntry.Exception)
        {
            case null:
                break;
            case McpProtocolException protocol:
                line.Append(" (").Append(protocol.ErrorCode).Append(": ");
                AppendEscaped(line, protocol.Message, 500);
                line.Append(')');
                break;
            case OperationCanceledException or Microsoft.AspNetCore.Http.BadHttpRequestException or Microsoft.IdentityModel.Tokens.SecurityTokenException
                or Microsoft.IdentityModel.Tokens.SecurityTokenArgumentException:
                // A request cancelled, a caller gone (an HTTP client that disconnected mid-request), a request the web
                // server refused (a body past the cap) or a caller's bearer token refused (expired, malformed, another
                // audience, an unknown key: the JWT handler logs each with its stack): nothing of ours failed, so one
                // line names it, as for a protocol error.
                line.Append(" (").Append(logEntry.Exception.GetType().Name).Append(')');
                break;
            case var exception:
                // Our own failures keep their stack trace, indented under the entry; only the message can carry input.
                line.Append(Environment.NewLine).Append("      ").Append(exception.GetType().FullName).Append(": ");
                AppendEscaped(line, exception.Message, MaxMessageLength);
                foreach (var frame in (exception.ToString().Split('\n').Where(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("--->", StringComparison.Ordinal))))
                {
                    line.Append(Environment.NewLine).Append("      ");
                    AppendEscaped(line, frame.Trim(), MaxMessageLength);
                }

                break;
        }

        textWriter.WriteLine(line.ToString());
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    private static void AppendEscaped(StringBuilder line, string text, int max)
    {
        var cut = text.Length > max;
        foreach (var c in cut ? text.AsSpan(0, max) : text.AsSpan())
        {
            if (char.IsControl(c))
            {
                line.Append(c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => $"\\u{(int)c:x4}" });
            }
            else
            {
                line.Append(c);
            }
        }

        if (cut)
        {
            line.Append("… (").Append(text.Length - max).Append(" more characters)");
        }
    }
}
