using System.Diagnostics;
using System.Text.Json;

namespace DefenderMcp.E2E.Http;

/// <summary>The official TypeScript SDK client (npm) over Streamable HTTP against the built server and an API key.</summary>
public sealed class NodeHttpClientTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Typescript_sdk_client_lists_calls_elicits_gets_progress_and_cancels_over_http()
    {
        await NodeFolder.Http.EnsureInstalledAsync(Ct);
        await using var server = await HttpServerHost.StartAsync(fixture.Environment(), Ct);
        await fixture.Control.AddFaultAsync(new Emulator.Control.FaultSpec { DelayMs = 20_000, Count = 1, PathPattern = "incidents/4301" }, Ct);
        try
        {
            var (code, stdout, stderr) = await NodeFolder.Http.RunAsync(
                ["http-client.mjs", "--url", server.McpUrl.ToString(), "--key", fixture.Keys["bob"], "--device-prefix", "ctso-fin-lt"], Ct);

            Assert.True(code == 0, $"node client exited {code}: {stderr} | {stdout}");
            var summary = JsonDocument.Parse(stdout).RootElement;
            Assert.Contains("run_antivirus_scan", summary.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
            Assert.True(summary.GetProperty("alerts").GetInt32() > 0);
            Assert.True(summary.GetProperty("accepted").GetProperty("status").GetString() == "Pending", stdout);
            Assert.True(summary.GetProperty("declined").GetProperty("isError").GetBoolean());
            Assert.Equal("cancelled_by_user", summary.GetProperty("declined").GetProperty("code").GetString());
            Assert.Equal(2, summary.GetProperty("elicitations").GetInt32());
            Assert.True(summary.GetProperty("progress").GetInt32() >= 2, "progress notifications: " + summary.GetProperty("progress"));
            Assert.Equal("aborted", summary.GetProperty("cancel").GetString());

            // The SDK's abort became notifications/cancelled: the server audited the call as cancelled, long before 20 s.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline && !server.AuditLines().Any(Cancelled))
            {
                await Task.Delay(100, Ct);
            }

            Assert.Contains(server.AuditLines(), Cancelled);
            Assert.All(
                server.AuditLines().Where(l => l.GetProperty("event").GetString() == "tool_call"),
                l => Assert.Equal("bob", l.GetProperty("caller").GetProperty("name").GetString()));
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }

        static bool Cancelled(JsonElement line) =>
            line.TryGetProperty("tool", out var t) && t.GetString() == "get_incident" && line.GetProperty("outcome").GetString() == "cancelled";
    }
}
