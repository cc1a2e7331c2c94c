using System.Collections.Concurrent;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting;
using DefenderMcp.Mcp;
using DefenderMcp.Tests.Support;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// A refusal the server means (bad input, a protected device) is one log line without a stack trace, through the real tool
/// path; an unexpected exception keeps its type and stack at error, and a deliberate internal error is one warning line.
/// </summary>
public sealed class ToolFailureLogTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Bad_input_and_a_protected_device_are_one_line_each_without_a_stack()
    {
        var settings = DemoEnvironment.SettingsFor(fixture.Emulator, ActionTier.Respond, ConfirmationMode.None) with { Toolsets = ToolCatalog.ToolsetNames.ToHashSet(StringComparer.Ordinal) };
        var lines = new LinesProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(lines));
        await using var connection = await InMemoryServerConnection.StartAsync(settings, new StringWriter(), null, factory, TestContext.Current.CancellationToken);

        var badInput = await connection.Client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["limit"] = -3 }, cancellationToken: TestContext.Current.CancellationToken);
        var dc = await connection.Client.CallToolAsync("list_devices", new Dictionary<string, object?> { ["name_prefix"] = "ctso-dc-01", ["limit"] = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        var protectedDevice = dc.StructuredContent!.Value.GetProperty("devices")[0].GetProperty("name").GetString();
        var denied = await connection.Client.CallToolAsync("isolate_device", new Dictionary<string, object?> { ["device"] = protectedDevice, ["comment"] = "test", ["isolation_type"] = "Full" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(badInput.IsError);
        Assert.True(denied.IsError);
        var ours = lines.Lines.Where(l => l.Category.StartsWith("DefenderMcp.Mcp", StringComparison.Ordinal) || l.Category.StartsWith("DefenderMcp.Areas", StringComparison.Ordinal)).ToList();
        Assert.Contains(ours, l => l.Level == LogLevel.Information && l.Text == "Tool list_alerts refused the call: invalid_input");
        Assert.Contains(ours, l => l.Level == LogLevel.Information && l.Text == "Tool isolate_device refused the call: policy_denied");
        Assert.DoesNotContain(ours, l => l.Level >= LogLevel.Warning);
        Assert.All(ours, l => Assert.DoesNotContain('\n', l.Text));
        Assert.All(ours, l => Assert.DoesNotContain(" at ", l.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unexpected_exception_keeps_its_type_and_stack_and_a_deliberate_internal_error_is_one_warning()
    {
        var lines = new LinesProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(lines));
        var logger = factory.CreateLogger("DefenderMcp.Mcp.Test");
        Exception unexpected;
        try
        {
            throw new InvalidOperationException("secret upstream text");
        }
        catch (InvalidOperationException ex)
        {
            unexpected = ex;
        }

        ToolFailureLog.Write(logger, "list_alerts", unexpected, ErrorCodes.InternalError);
        ToolFailureLog.Write(logger, "list_saved_hunts", new ToolException(ErrorCodes.InternalError, "The scheduled hunt state cannot be used:\nlocked"), ErrorCodes.InternalError);

        var error = Assert.Single(lines.Lines, l => l.Level == LogLevel.Error);
        Assert.StartsWith("Tool list_alerts failed with System.InvalidOperationException: ", error.Text, StringComparison.Ordinal);
        Assert.Contains(nameof(An_unexpected_exception_keeps_its_type_and_stack_and_a_deliberate_internal_error_is_one_warning), error.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret upstream text", error.Text, StringComparison.Ordinal);
        var warning = Assert.Single(lines.Lines, l => l.Level == LogLevel.Warning);
        Assert.Equal("Tool list_saved_hunts failed: internal_error: The scheduled hunt state cannot be used: \u23CE locked", warning.Text);
    }

    private sealed record Line(string Category, LogLevel Level, string Text);

    private sealed class LinesProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<Line> _lines = new();

        public IReadOnlyList<Line> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new LinesLogger(categoryName, _lines);

        public void Dispose()
        {
        }
    }

    private sealed class LinesLogger(string category, ConcurrentQueue<Line> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new Line(category, logLevel, formatter(state, exception)));
    }
}
