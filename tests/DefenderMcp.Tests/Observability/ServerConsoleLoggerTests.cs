using DefenderMcp.Hosting;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Tests.Observability;

/// <summary>The server's own stderr logger: the formatter's line per entry, whole even when threads log at once.</summary>
public sealed class ServerConsoleLoggerTests
{
    [Fact]
    public void An_entry_is_written_as_the_formatters_line_and_the_factorys_level_still_filters()
    {
        using var writer = new StringWriter();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(new ServerConsoleLoggerProvider(writer)).SetMinimumLevel(LogLevel.Information)))
        {
            var logger = factory.CreateLogger("Some.Category");
            logger.LogDebug("not shown");
            logger.LogWarning(new EventId(7), "a\nfail: forged {Value}", 42);
        }

        Assert.Equal("warn: Some.Category[7] a\\nfail: forged 42" + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public async Task Entries_logged_from_many_threads_at_once_never_interleave()
    {
        using var text = new StringWriter();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(new ServerConsoleLoggerProvider(TextWriter.Synchronized(text)))))
        {
            var logger = factory.CreateLogger("Race");
            await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
            {
                for (var i = 0; i < 100; i++)
                {
                    // An exception makes an entry several lines: its header and the indented type and frames.
                    logger.LogError(Thrown($"boom {thread}-{i}"), "entry {Id}", $"{thread}-{i}");
                }
            })));
        }

        var lines = text.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Select((line, index) => (line, index)).Where(l => l.line.StartsWith("fail: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(800, headers.Count);
        Assert.All(lines, l => Assert.True(l.StartsWith("fail: Race[0] entry ", StringComparison.Ordinal) || l.StartsWith("      ", StringComparison.Ordinal), l));
        Assert.All(headers, h => Assert.Equal(
            "      System.InvalidOperationException: boom " + h.line["fail: Race[0] entry ".Length..],
            lines[h.index + 1]));
    }

    private static InvalidOperationException Thrown(string message)
    {
        try
        {
            throw new InvalidOperationException(message);
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }
}
