using System.Net;
using System.Text.Json;
using DefenderMcp.Emulator.Control;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>Start-up refusals, health and readiness probes, and SIGTERM during a slow call. Each test runs its own process.</summary>
public sealed class HttpLifecycleTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Http_without_any_auth_mode_refuses_to_start_and_anonymous_is_only_for_loopback()
    {
        var env = fixture.Environment();
        env.Remove("DEFENDER_MCP_API_KEYS_FILE");

        var (noAuth, noAuthErr) = await HttpServerHost.RunToExitAsync(env, Ct, "serve", "--transport", "http", "--urls", "http://127.0.0.1:0");
        var (wide, wideErr) = await HttpServerHost.RunToExitAsync(env, Ct, "serve", "--transport", "http", "--urls", "http://0.0.0.0:0", "--allow-anonymous-loopback");

        Assert.Equal(2, noAuth);
        Assert.Contains("keys add", noAuthErr, StringComparison.Ordinal);
        Assert.Equal(2, wide);
        Assert.Contains("--allow-anonymous-loopback", wideErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_loopback_serves_and_audits_the_anonymous_caller()
    {
        var env = fixture.Environment();
        env.Remove("DEFENDER_MCP_API_KEYS_FILE");
        await using var server = await HttpServerHost.StartAsync(env, Ct, "--allow-anonymous-loopback");
        await using var client = await ConnectAsync(server.McpUrl, null, Ct);

        var result = await client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["limit"] = 2 }, cancellationToken: Ct);

        Assert.True(Structured(result).GetProperty("incidents").GetArrayLength() > 0);
        var audit = server.AuditLines().Last();
        Assert.Equal("anonymous", audit.GetProperty("caller").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Demo_over_http_prints_a_key_for_this_run_and_serves_both_demo_tenants()
    {
        await using var server = await HttpServerHost.StartAsync(new Dictionary<string, string>(), Ct, "--demo");
        Assert.NotNull(server.DemoKey);
        using var withoutKey = await PostAsync(server.McpUrl, null, Ct);
        await using var client = await ConnectAsync(server.McpUrl, server.DemoKey, Ct);

        var result = await client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["tenant"] = "*", ["limit"] = 2 }, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Contains("fabrikam", Structured(result).GetRawText(), StringComparison.Ordinal);
        Assert.Equal("demo", server.AuditLines().Last().GetProperty("caller").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Readyz_fails_while_the_tenant_cannot_get_a_token_and_recovers_and_says_nothing_about_tenants()
    {
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 401, Count = 0, PathPattern = "oauth2/v2.0/token" }, Ct);
        HttpServerHost? server = null;
        try
        {
            server = await HttpServerHost.StartAsync(fixture.Environment(("DEFENDER_MCP_HTTP_READY_CACHE_SECONDS", "1")), Ct);
            using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };

            using var health = await http.GetAsync("/healthz", Ct);
            using var notReady = await http.GetAsync("/readyz", Ct);
            var notReadyBody = await notReady.Content.ReadAsStringAsync(Ct);
            await fixture.Control.ClearFaultsAsync(Ct);
            await Task.Delay(1200, Ct);
            using var ready = await http.GetAsync("/readyz", Ct);

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Equal("not_ready", JsonDocument.Parse(notReadyBody).RootElement.GetProperty("status").GetString());
            Assert.DoesNotContain("default", notReadyBody, StringComparison.Ordinal);
            Assert.DoesNotContain(fixture.Emulator.Tenants[0].TenantId, notReadyBody, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Sigterm_during_a_slow_call_lets_it_finish_refuses_new_sessions_then_exits_0()
    {
        await using var server = await HttpServerHost.StartAsync(fixture.Environment(("DEFENDER_MCP_HTTP_SHUTDOWN_SECONDS", "30")), Ct);
        await using var client = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct);
        await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: Ct);
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 5000, Count = 1, PathPattern = "alerts_v2" }, Ct);
        try
        {
            var slow = client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["limit"] = 2 }, cancellationToken: Ct).AsTask();
            await Task.Delay(1500, Ct);

            server.SendSigterm();
            await Task.Delay(500, Ct);
            using var newSession = await PostAsync(server.McpUrl, fixture.Keys["alice"], Ct);
            var result = await slow;
            var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(40), Ct);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, newSession.StatusCode);
            Assert.Equal(2, Structured(result).GetProperty("alerts").GetArrayLength());
            Assert.Equal(0, exitCode);

            // The clean stop is the trail's last line, after the drained call's own: transport and uptime.
            var audit = server.AuditLines();
            var stop = audit[^1];
            Assert.Equal("server_stop", stop.GetProperty("event").GetString());
            Assert.Contains("transport=http", stop.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
            Assert.InRange(stop.GetProperty("counts").GetProperty("uptime_seconds").GetInt64(), 1, 600);
            var slowLine = audit.Last(l => l.GetProperty("event").GetString() == "tool_call");
            Assert.Equal(2, slowLine.GetProperty("params").GetProperty("limit").GetInt32());
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }
}
