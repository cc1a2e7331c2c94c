using System.Diagnostics;
using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

// Every call ends in bounded time. Its own emulator: the 120 s latency faults injected here must not reach other classes.
public sealed class BoundedTimeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Every read tool that reaches Defender, with arguments that make it do so.
    private static readonly (string Tool, Dictionary<string, object?> Args)[] ReadTools =
    [
        ("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 1" }),
        ("run_saved_hunt", new() { ["name"] = "encoded-powershell" }),
        ("get_hunting_schema", new() { ["table"] = "DeviceInfo", ["tenant"] = "contoso" }),
        ("list_incidents", new() { ["limit"] = 1 }),
        ("get_incident", new() { ["incident_id"] = "4301" }),
        ("list_alerts", new() { ["limit"] = 1 }),
        ("get_alert", new() { ["alert_id"] = "da0000000000000000_1" }),
        ("list_devices", new() { ["limit"] = 1 }),
        ("get_device", new() { ["device"] = "ws-001.contoso.local" }),
        ("list_machine_actions", new() { ["limit"] = 1 }),
        ("get_machine_action", new() { ["action_id"] = "00000000-0000-0000-0000-000000000001" }),
        ("get_investigation_package_uri", new() { ["action_id"] = "00000000-0000-0000-0000-000000000001" }),
        ("list_indicators", new() { ["limit"] = 1 }),
        ("list_detection_rules", new() { ["limit"] = 1 }),
        ("get_detection_rule", new() { ["rule_id"] = "35001" }),
        ("get_file_info", new() { ["hash"] = "ecb2a5847841bc1130fb401405cf8114a2b2621e" }),
        ("get_ip_info", new() { ["ip"] = "185.220.101.47" }),
        ("get_domain_info", new() { ["domain"] = "contoso-payroll-update.com" }),
        ("get_user_info", new() { ["user"] = "adele.vance" }),
        ("list_vulnerabilities", new() { ["limit"] = 1 }),
        ("get_vulnerability", new() { ["cve"] = "CVE-2023-36884" }),
        ("list_software", new() { ["limit"] = 1 }),
        ("list_security_recommendations", new() { ["limit"] = 1 }),
        ("get_exposure_score", new()),
        ("get_secure_score", new()),
        ("get_device_logon_users", new() { ["device"] = "ctso-fin-lt-011.contoso.com" }),
        ("list_missing_updates", new() { ["device"] = "ctso-fin-lt-011.contoso.com" }),
        ("list_library_files", new()),
        ("get_live_response_result", new() { ["action_id"] = "00000000-0000-0000-0000-000000000002", ["command_index"] = 0 }),
    ];

    // The read tools that call no Defender API: they answer from the server's own state.
    private static readonly string[] LocalReadTools = ["get_hunting_results", "list_saved_hunts", "get_hunt_results", "get_server_status"];

    // A read tool added later without a case here would escape the bound this class proves.
    [Fact]
    public void Every_read_tool_that_calls_defender_is_in_the_delay_case()
    {
        var reads = Mcp.ToolCatalog.Entries.Where(e => e.Definition.ReadOnly).Select(e => e.Definition.Name).Except(LocalReadTools);

        Assert.Equal(reads.Order(StringComparer.Ordinal), ReadTools.Select(t => t.Tool).Order(StringComparer.Ordinal));
    }

    // The live_response tier, so every read tool is listed (get_investigation_package_uri, the live response reads).
    private Task<ServerHarness> StartWithEnvironmentAsync(Dictionary<string, string> environment) =>
        ServerHarness.StartWithEnvironmentAsync(fixture, environment, ActionTier.LiveResponse);

    [Fact]
    public async Task A_120_s_upstream_delay_on_every_read_tool_ends_in_a_timeout_within_the_configured_bound()
    {
        // Short limits through the real variables, so the test takes seconds; the defaults (30/50) are proven in
        // CallTimeoutTests (client clock) and ConfigurationLoaderTests (variables unset).
        await using var server = await StartWithEnvironmentAsync(new()
        {
            [EnvironmentVariables.AttemptTimeout] = "1",
            [EnvironmentVariables.CallTimeout] = "2",
        });
        await fixture.Control.ClearRequestsAsync(Ct);
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 120_000, Count = 0, PathPattern = "^/(v1\\.0|beta|api)/" }, Ct);
        try
        {
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(ReadTools.Select(async t =>
            {
                var started = clock.Elapsed;
                var (code, message) = await server.CallErrorAsync(t.Tool, t.Args);
                return (t.Tool, Code: code, Message: message, Took: clock.Elapsed - started);
            }));

            foreach (var r in results)
            {
                Assert.True(r.Code == "timeout", $"{r.Tool}: {r.Code} {r.Message}");
                Assert.Contains("within 2 s", r.Message, StringComparison.Ordinal);
                Assert.Contains("Try again", r.Message, StringComparison.Ordinal);
                Assert.True(r.Took < TimeSpan.FromSeconds(55), $"{r.Tool} took {r.Took}");
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"took {clock.Elapsed}");

            // The emulator saw each outbound request end long before its 120 s delay: the client aborted them.
            var log = await WaitForLogAsync(l => l.Count(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)) >= 6);
            Assert.Contains(log, r => r.Path == "/v1.0/security/runHuntingQuery");
            Assert.Contains(log, r => r.Path == "/v1.0/security/incidents/4301");
            Assert.Contains(log, r => r.Path == "/api/indicators");
            Assert.Contains(log, r => r.Path == "/beta/security/rules/detectionRules");
            Assert.All(log.Where(r => r.Path.StartsWith("/v1.0/", StringComparison.Ordinal) || r.Path.StartsWith("/api/", StringComparison.Ordinal)), r =>
                Assert.True(DateTimeOffset.UtcNow - r.Timestamp < TimeSpan.FromSeconds(100), $"{r.Path} ran its full delay"));
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_fan_out_over_hung_tenants_ends_within_one_call_bound_not_one_per_batch()
    {
        // One tenant at a time, both hung: the second used to start its own bound once the first had run out (with 40
        // tenants, 5 at a time, 8 bounds). Now the whole call ends within one bound and a second.
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => new CallTimeouts(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)).ApplyTo(s) with { FanOutConcurrency = 1 },
            ActionTier.Read);
        await server.CallOkAsync("list_alerts", new() { ["limit"] = 1, ["tenant"] = "*" });
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 120_000, Count = 0, PathPattern = "^/v1\\.0/security/alerts_v2" }, Ct);
        try
        {
            var clock = Stopwatch.StartNew();
            var result = await server.CallOkAsync("list_alerts", new() { ["limit"] = 1, ["tenant"] = "*" });
            var took = clock.Elapsed;

            var errors = result.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("error")).ToList();
            Assert.Equal(2, errors.Count);
            Assert.All(errors, e => Assert.Equal("timeout", e.GetProperty("code").GetString()));
            Assert.Contains("The whole call's time bound (4 s) ran out", errors[1].GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.True(took < TimeSpan.FromSeconds(5.5), $"took {took}");
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    // Reads that make two or more upstream calls (a read outside RunReadAsync: the next test).
    public static TheoryData<string, string> SeveralCallReads => new()
    {
        { "get_exposure_score", "{}" },
        { "get_vulnerability", "{\"cve\":\"CVE-2023-36884\"}" },
        { "get_user_info", "{\"user\":\"adele.vance\"}" },
        { "get_file_info", "{\"hash\":\"ecb2a5847841bc1130fb401405cf8114a2b2621e\"}" },
        { "get_ip_info", "{\"ip\":\"185.220.101.47\"}" },
        { "list_missing_updates", "{\"device\":\"ctso-fin-lt-011.contoso.com\"}" },
        { "list_software", "{\"device\":\"ctso-fin-lt-011.contoso.com\"}" },
    };

    [Theory]
    [MemberData(nameof(SeveralCallReads))]
    public async Task A_read_of_several_upstream_calls_shares_one_bound(string tool, string arguments)
    {
        // Each upstream call is 2 s late and the bound is 3 s: each call used to get a bound of its own, so the tool
        // answered (or failed otherwise) after 4 s or more. Now its calls share the one bound and it ends at 3 s.
        await using var server = await StartWithEnvironmentAsync(new()
        {
            [EnvironmentVariables.AttemptTimeout] = "3",
            [EnvironmentVariables.CallTimeout] = "3",
        });
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!;
        args["tenant"] = "contoso";
        await server.CallAsync(tool, args); // warm: the token, the client and the tool's code are ready
        await fixture.Control.ClearRequestsAsync(Ct);
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 2_000, Count = 0, PathPattern = "^/(v1\\.0|beta|api)/" }, Ct);
        try
        {
            var clock = Stopwatch.StartNew();
            var (code, message) = await server.CallErrorAsync(tool, args);
            var took = clock.Elapsed;

            Assert.True(code == "timeout", $"{tool}: {code} {message}");
            Assert.Contains("within 3 s", message, StringComparison.Ordinal);
            Assert.True(took < TimeSpan.FromSeconds(4.5), $"took {took}");
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_read_outside_the_tenant_runner_shares_one_bound_too()
    {
        // get_live_response_result reads the action, then the command's output: two calls, 2 s late each, 3 s bound.
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => new CallTimeouts(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)).ApplyTo(s) with { ActionPollInterval = TimeSpan.FromMilliseconds(50) },
            ActionTier.LiveResponse,
            ConfirmationMode.None);
        var run = await server.CallOkAsync("run_live_response_script", new() { ["device"] = "ctso-srv-file-01.contoso.com", ["script"] = "list-processes.ps1", ["wait_seconds"] = 30 });
        var args = new Dictionary<string, object?> { ["action_id"] = run.GetProperty("action_id").GetString(), ["command_index"] = 0 };
        await server.CallOkAsync("get_live_response_result", args);
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 2_000, Count = 0, PathPattern = "^/(v1\\.0|beta|api)/" }, Ct);
        try
        {
            var clock = Stopwatch.StartNew();
            var (code, message) = await server.CallErrorAsync("get_live_response_result", args);
            var took = clock.Elapsed;

            Assert.True(code == "timeout", $"{code} {message}");
            Assert.True(took < TimeSpan.FromSeconds(4.5), $"took {took}");
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_second_read_on_the_same_session_gets_a_whole_bound_of_its_own()
    {
        // Nothing of one call's bound lingers into the next: two reads in a row, each of one 2 s late call under a 3 s bound.
        await using var server = await StartWithEnvironmentAsync(new()
        {
            [EnvironmentVariables.AttemptTimeout] = "3",
            [EnvironmentVariables.CallTimeout] = "3",
        });
        await server.CallOkAsync("get_secure_score", new() { ["tenant"] = "contoso" });
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 2_000, Count = 0, PathPattern = "^/(v1\\.0|beta|api)/" }, Ct);
        try
        {
            await server.CallOkAsync("get_secure_score", new() { ["tenant"] = "contoso" });
            await server.CallOkAsync("get_secure_score", new() { ["tenant"] = "contoso" });
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task An_mcp_cancellation_stops_the_outbound_request_at_once()
    {
        // Default limits: only the cancellation can end this call early.
        await using var server = await StartWithEnvironmentAsync([]);
        // Warm up (token, first connection), so the slow call is surely upstream when it is cancelled.
        await server.CallOkAsync("list_alerts", new() { ["limit"] = 1 });
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 120_000, Count = 1, PathPattern = "^/v1\\.0/security/alerts_v2/cancel-me" }, Ct);
        try
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var call = server.Client.CallToolAsync("get_alert", new Dictionary<string, object?> { ["alert_id"] = "cancel-me" }, cancellationToken: cancel.Token).AsTask();
            await Task.Delay(1500, Ct);
            var cancelledAt = DateTimeOffset.UtcNow;
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

            var log = await WaitForLogAsync(l => l.Any(r => r.Path == "/v1.0/security/alerts_v2/cancel-me"), diagnostics: server.AuditWriter.ToString);
            var entry = Assert.Single(log, r => r.Path == "/v1.0/security/alerts_v2/cancel-me");
            Assert.True(entry.Timestamp - cancelledAt < TimeSpan.FromSeconds(5), $"the request ended {entry.Timestamp - cancelledAt} after the cancellation");
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    private async Task<IReadOnlyList<RecordedRequest>> WaitForLogAsync(Func<IReadOnlyList<RecordedRequest>, bool> done, Func<string>? diagnostics = null)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var log = await fixture.Control.GetRequestsAsync(Ct);
            if (done(log))
            {
                return log;
            }

            Assert.True(DateTime.UtcNow < until, "the emulator's request log never showed the request ending: " + JsonSerializer.Serialize(log.Select(r => r.Path)) + diagnostics?.Invoke());
            await Task.Delay(100, Ct);
        }
    }
}
