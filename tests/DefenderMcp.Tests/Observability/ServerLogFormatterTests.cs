using DefenderMcp.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;

namespace DefenderMcp.Tests.Observability;

/// <summary>The stderr log line: escaped and clipped caller text, protocol errors without a stack, our own failures with one.</summary>
public sealed class ServerLogFormatterTests
{
    private static string Format(LogLevel level, string message, Exception? exception = null)
    {
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "Some.Category", new EventId(7), message, exception, (s, _) => s);
        new ServerLogFormatter().Write(entry, null, writer);
        return writer.ToString();
    }

    [Fact]
    public void Control_characters_in_a_message_are_escaped_so_an_entry_stays_one_line()
    {
        var text = Format(LogLevel.Warning, "a\nfail: forged\r\u0007end");

        Assert.Equal("warn: Some.Category[7] a\\nfail: forged\\r\\u0007end" + Environment.NewLine, text);
    }

    [Fact]
    public void A_long_message_is_clipped_and_says_how_much_was_cut()
    {
        var text = Format(LogLevel.Information, new string('x', ServerLogFormatter.MaxMessageLength + 123));

        Assert.Contains("… (123 more characters)", text, StringComparison.Ordinal);
        Assert.True(text.Length < ServerLogFormatter.MaxMessageLength + 100);
    }

    [Fact]
    public void A_protocol_error_the_caller_caused_is_its_message_without_a_stack_trace()
    {
        McpProtocolException thrown;
        try
        {
            throw new McpProtocolException("Unknown tool: 'x\ny'", McpErrorCode.InvalidParams);
        }
        catch (McpProtocolException e)
        {
            thrown = e;
        }

        var text = Format(LogLevel.Error, "handler failed", thrown);

        Assert.Equal("fail: Some.Category[7] handler failed (InvalidParams: Unknown tool: 'x\\ny')" + Environment.NewLine, text);
    }

    [Fact]
    public void A_cancellation_is_one_line_without_a_stack_trace()
    {
        OperationCanceledException thrown;
        try
        {
            using var gone = new CancellationTokenSource();
            gone.Cancel();
            gone.Token.ThrowIfCancellationRequested();
            throw new InvalidOperationException("not reached");
        }
        catch (OperationCanceledException e)
        {
            thrown = e;
        }

        Assert.Equal("warn: Some.Category[7] request cancelled (OperationCanceledException)" + Environment.NewLine, Format(LogLevel.Warning, "request cancelled", thrown));
    }

    [Fact]
    public void Our_own_failure_keeps_its_type_message_and_stack_frames_indented_under_the_entry()
    {
        InvalidOperationException thrown;
        try
        {
            throw new InvalidOperationException("broken\nstate", new FormatException("inner"));
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        var lines = Format(LogLevel.Critical, "crashed", thrown).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("crit: Some.Category[7] crashed", lines[0]);
        Assert.Equal("      System.InvalidOperationException: broken\\nstate", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("      at DefenderMcp.Tests.Observability.ServerLogFormatterTests.", StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("      ", l, StringComparison.Ordinal));
    }
}
