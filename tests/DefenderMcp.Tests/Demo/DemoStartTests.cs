using System.Text.Json;
using DefenderMcp.Cli;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator;
using DefenderMcp.Hosting;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Demo;

// --demo starts its emulator beside the server's host: the settings are ready at once, and every use of a tenant waits for it.
public sealed class DemoStartTests
{
    [Fact]
    public async Task A_tool_call_made_as_the_demo_starts_waits_for_the_emulator_and_is_answered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var demo = DemoEnvironment.Start(new EmulatorOptions());
        Assert.NotNull(demo.Settings.Upstream);
        await using var connection = await InMemoryServerConnection.StartAsync(demo.Settings, new SynchronizedWriter(), null, null, ct);

        var result = await connection.Client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["limit"] = 2 }, cancellationToken: ct);

        Assert.True(result.IsError != true);
        Assert.Equal(2, Assert.IsType<JsonElement>(result.StructuredContent).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task When_the_emulator_cannot_start_tool_calls_fail_with_the_reason_and_the_session_stops_with_exit_code_1()
    {
        var ct = TestContext.Current.CancellationToken;
        var missing = Path.Combine(Path.GetTempPath(), "defender-mcp-missing-" + Guid.NewGuid().ToString("N"), "tls.pem");
        var demo = DemoEnvironment.Start(new EmulatorOptions { CertificatePemPath = missing });
        await using var session = ServerSession.ForDemo(demo);
        await using (var connection = await InMemoryServerConnection.StartAsync(demo.Settings, new SynchronizedWriter(), null, null, ct))
        {
            var result = await connection.Client.CallToolAsync("list_incidents", new Dictionary<string, object?>(), cancellationToken: ct);
            Assert.True(result.IsError);
            var error = Assert.IsType<JsonElement>(result.StructuredContent).GetProperty("error");
            Assert.Equal("upstream_error", error.GetProperty("code").GetString());
            Assert.Contains("demo emulator could not start", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        // A server that would run until stopped is stopped, and the command fails.
        var code = await session.RunAsync(
            async stop =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, stop);
                return 0;
            },
            ct).WaitAsync(TimeSpan.FromSeconds(90), ct);
        Assert.Equal(1, code);
    }

    [Fact]
    public void Settings_made_before_the_emulator_serves_wait_on_it_and_name_a_failed_start()
    {
        var failed = new UpstreamReadiness(Task.FromException(new IOException("disk full")), TimeSpan.FromSeconds(5), "The demo emulator");
        var error = Assert.Throws<Client.DefenderApiException>(failed.Wait);
        Assert.Equal(Client.DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal("The demo emulator could not start (IOException).", error.Message);

        var hung = new UpstreamReadiness(new TaskCompletionSource().Task, TimeSpan.FromMilliseconds(50), "The demo emulator");
        Assert.Equal(Client.DefenderErrorCode.Timeout, Assert.Throws<Client.DefenderApiException>(hung.Wait).Code);

        new UpstreamReadiness(Task.CompletedTask, TimeSpan.Zero, "The demo emulator").Wait();
    }
}
