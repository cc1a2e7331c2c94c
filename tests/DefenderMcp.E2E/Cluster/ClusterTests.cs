using System.Net;
using System.Text.Json;
using DefenderMcp.E2E.Http;
using DefenderMcp.Emulator.Control;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Cluster;

/// <summary>
/// Two real server processes (<c>serve --transport http</c>) over one real Redis and one emulator: the safety state
/// (budgets, confirmation tokens), hunting results and scheduled hunts hold for the pair, as for one server.
/// </summary>
public sealed class ClusterTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_budget_of_10_per_hour_allows_exactly_10_writes_across_two_replicas()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var env = ClusterEnvironment(redis, ("DEFENDER_CONFIRMATION", "none"), ("DEFENDER_MAX_ACTIONS_PER_HOUR", "10"));
        await using var a = await HttpServerHost.StartAsync(env, Ct);
        await using var b = await HttpServerHost.StartAsync(env, Ct);
        await using var clientA = await ConnectAsync(a.McpUrl, fixture.Keys["alice"], Ct);
        await using var clientB = await ConnectAsync(b.McpUrl, fixture.Keys["alice"], Ct);
        var incident = await FirstIncidentAsync(clientA);

        // A dry run is not an action: it spends nothing.
        Structured(await Comment(clientB, incident, "dry", dryRun: true));
        var calls = Enumerable.Range(0, 14).Select(i => Comment(i % 2 == 0 ? clientA : clientB, incident, $"cluster budget {i}"));
        var results = await Task.WhenAll(calls);

        Assert.Equal(10, results.Count(r => r.IsError != true));
        var refused = results.Where(r => r.IsError == true).ToList();
        Assert.Equal(4, refused.Count);
        Assert.All(refused, r => Assert.Equal("policy_denied", ErrorCode(r)));
        Assert.All(refused, r => Assert.Contains("budget", Text(r), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_issued_by_one_replica_is_accepted_once_by_the_other_then_refused()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var env = ClusterEnvironment(redis, ("DEFENDER_CONFIRMATION", "token"));
        await using var a = await HttpServerHost.StartAsync(env, Ct);
        await using var b = await HttpServerHost.StartAsync(env, Ct);
        await using var clientA = await ConnectAsync(a.McpUrl, fixture.Keys["alice"], Ct);
        await using var clientB = await ConnectAsync(b.McpUrl, fixture.Keys["alice"], Ct);
        var incident = await FirstIncidentAsync(clientA);

        var preview = Structured(await Comment(clientA, incident, "confirmed across replicas"));
        var token = preview.GetProperty("confirmation_token").GetString()!;
        var onB = await Comment(clientB, incident, "confirmed across replicas", token: token);
        var againOnB = await Comment(clientB, incident, "confirmed across replicas", token: token);
        var againOnA = await Comment(clientA, incident, "confirmed across replicas", token: token);

        Assert.Equal("confirmation_required", preview.GetProperty("status").GetString());
        Assert.True(Structured(onB).GetProperty("done").GetBoolean());
        Assert.Equal("confirmation_required", ErrorCode(againOnB));
        Assert.Equal("confirmation_required", ErrorCode(againOnA));
    }

    [Fact]
    public async Task A_result_id_from_one_replica_pages_on_the_other()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var env = ClusterEnvironment(redis);
        await using var a = await HttpServerHost.StartAsync(env, Ct);
        await using var b = await HttpServerHost.StartAsync(env, Ct);
        await using var clientA = await ConnectAsync(a.McpUrl, fixture.Keys["alice"], Ct);
        await using var clientB = await ConnectAsync(b.McpUrl, fixture.Keys["alice"], Ct);

        var hunt = Structured(await clientA.CallToolAsync("query_advanced_hunting", new Dictionary<string, object?> { ["query"] = "DeviceProcessEvents | take 30", ["max_rows"] = 5 }, cancellationToken: Ct));
        var resultId = hunt.GetProperty("result_id").GetString()!;
        var page = Structured(await clientB.CallToolAsync("get_hunting_results", new Dictionary<string, object?> { ["result_id"] = resultId, ["offset"] = 5, ["limit"] = 10 }, cancellationToken: Ct));
        var unknown = await clientB.CallToolAsync("get_hunting_results", new Dictionary<string, object?> { ["result_id"] = "hr_" + new string('A', 22) }, cancellationToken: Ct);

        Assert.Equal(30, hunt.GetProperty("row_count").GetInt32());
        Assert.Equal(resultId, page.GetProperty("result_id").GetString());
        Assert.Equal(10, page.GetProperty("rows").GetArrayLength());
        Assert.Equal(30, page.GetProperty("row_count").GetInt32());
        Assert.Equal("not_found", ErrorCode(unknown));
    }

    [Fact]
    public async Task A_scheduled_hunt_runs_once_per_interval_across_both_and_moves_to_the_survivor_when_its_replica_dies()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var env = ClusterEnvironment(redis, ("DEFENDER_MCP_HUNT_MIN_INTERVAL_SECONDS", "1"));
        var a = await HttpServerHost.StartAsync(env, Ct);
        await using var b = await HttpServerHost.StartAsync(env, Ct);
        try
        {
            await using (var clientA = await ConnectAsync(a.McpUrl, fixture.Keys["alice"], Ct))
            {
                Structured(await clientA.CallToolAsync("schedule_hunt", new Dictionary<string, object?> { ["name"] = "phishing-clicks", ["every"] = "PT2S" }, cancellationToken: Ct));
            }

            // Both replicas follow the schedule; together they run each 2 s slot once. Each run's audit line names its
            // slot, so this is checked by slot, not by how far apart runs start (a run late in its slot, on a slow
            // machine, may start a moment before the next slot's run, and that is still once per interval).
            var runs = await WaitForRunsAsync([a, b], 6, TimeSpan.FromSeconds(120));
            AssertOncePerSlot([a, b]);
            List<DateTimeOffset> before;
            await using (var clientB = await ConnectAsync(b.McpUrl, fixture.Keys["alice"], Ct))
            {
                before = await StoredRunStartsAsync(clientB);
                Assert.True(before.Count >= 2, $"{before.Count} runs stored");
                Assert.True(before.Count <= Runs([a, b]).Count, "more runs stored than run");
            }

            var holder = runs[^1].Host;
            var survivor = holder == a ? b : a;
            holder.Kill();
            var killedAt = DateTimeOffset.UtcNow;

            // Count only the survivor's runs after the kill: a run it logged just before would otherwise fill the quota.
            var after = await WaitForRunsAsync([survivor], runs => runs.Count(r => r.At > killedAt) >= 3, TimeSpan.FromSeconds(120));
            var taken = after.Where(r => r.At > killedAt).ToList();
            Assert.True(taken.Count >= 3, "the survivor did not take the schedule over");
            Assert.All(taken, r => Assert.True(r.Slot > Runs([holder]).Max(h => h.Slot), $"slot {r.Slot} is not after the dead replica's last"));
            AssertOncePerSlot([a, b]);
            await using var clientS = await ConnectAsync(survivor.McpUrl, fixture.Keys["alice"], Ct);
            var starts = await StoredRunStartsAsync(clientS);
            // The runs stored before the kill are still there (but for any the retention dropped as the oldest), and
            // at least the survivor's three after them.
            Assert.Subset(starts.ToHashSet(), before.Where(t => t >= starts[0]).ToHashSet());
            Assert.True(starts.Count(t => t > before[^1]) >= 3, $"{starts.Count(t => t > before[^1])} runs stored after the kill");
            Assert.True(starts.Count <= Runs([a, b]).Count, "more runs stored than run");
        }
        finally
        {
            await a.DisposeAsync();
        }
    }

    [Fact]
    public async Task Either_replica_tells_that_a_run_is_under_way_from_its_lease_and_when_the_next_is_due()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var env = ClusterEnvironment(redis);
        await using var a = await HttpServerHost.StartAsync(env, Ct);
        await using var b = await HttpServerHost.StartAsync(env, Ct);
        await using var clientA = await ConnectAsync(a.McpUrl, fixture.Keys["alice"], Ct);
        await using var clientB = await ConnectAsync(b.McpUrl, fixture.Keys["alice"], Ct);
        var name = new Dictionary<string, object?> { ["name"] = "phishing-clicks" };
        // The upstream holds the run's hunting query for 4 s, so it can be seen while it runs.
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 4000, Count = 1, PathPattern = "runHuntingQuery" }, Ct);
        try
        {
            Structured(await clientA.CallToolAsync("schedule_hunt", new Dictionary<string, object?>(name) { ["every"] = "PT1H" }, cancellationToken: Ct));

            // One replica claims the slot; the other can only know from the lease in Redis. Both say so.
            var during = await HuntResultsAsync(clientA, r => r.GetProperty("run_in_progress").GetBoolean() || r.GetProperty("count").GetInt32() > 0);
            var seen = Structured(await clientB.CallToolAsync("get_hunt_results", name, cancellationToken: Ct));
            Assert.True(during.GetProperty("run_in_progress").GetBoolean());
            Assert.True(seen.GetProperty("run_in_progress").GetBoolean());
            Assert.Equal(0, seen.GetProperty("count").GetInt32());
            foreach (var client in new[] { clientA, clientB })
            {
                var after = await HuntResultsAsync(client, r => r.GetProperty("count").GetInt32() >= 1 && !r.GetProperty("run_in_progress").GetBoolean());
                Assert.Equal(1, after.GetProperty("count").GetInt32());
                Assert.StartsWith("every 1h, next run 20", after.GetProperty("schedule").GetString(), StringComparison.Ordinal);
            }

            Assert.Single(Runs([a, b]));
            Structured(await clientB.CallToolAsync("unschedule_hunt", name, cancellationToken: Ct));
            var unscheduled = Structured(await clientA.CallToolAsync("get_hunt_results", name, cancellationToken: Ct));
            Assert.Equal(JsonValueKind.Null, unscheduled.GetProperty("schedule").ValueKind);
            Assert.False(unscheduled.GetProperty("run_in_progress").GetBoolean());
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_schedule_made_a_moment_ago_on_one_replica_is_neither_replaced_nor_stopped_on_the_other_by_a_caller_on_other_tenants()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-cluster-callers-").FullName;
        try
        {
            // Both emulator tenants at the respond tier; alice may act on both, bob on contoso only.
            var env = await TeamServerEnvironment.CreateAsync(fixture, home, new Dictionary<string, string[]> { ["alice"] = ["contoso", "fabrikam"], ["bob"] = ["contoso"] }, Ct);
            foreach (var (variable, value) in redis.ServerEnvironment("test-" + Guid.NewGuid().ToString("N")))
            {
                env[variable] = value;
            }

            await using var a = await HttpServerHost.StartAsync(env, Ct);
            await using var b = await HttpServerHost.StartAsync(env, Ct);
            await using var aliceOnA = await ConnectAsync(a.McpUrl, fixture.Keys["alice"], Ct);
            await using var bobOnB = await ConnectAsync(b.McpUrl, fixture.Keys["bob"], Ct);
            await using var aliceOnB = await ConnectAsync(b.McpUrl, fixture.Keys["alice"], Ct);
            var name = new Dictionary<string, object?> { ["name"] = "phishing-clicks" };

            // B follows the store every 2 s; bob's calls come milliseconds after alice's schedule, before B's copy has
            // it. Schedules are per (hunt, tenant): bob's schedule and stop on contoso leave alice's on fabrikam alone.
            Structured(await aliceOnA.CallToolAsync("schedule_hunt", new Dictionary<string, object?>(name) { ["every"] = "PT1H", ["tenant"] = "fabrikam" }, cancellationToken: Ct));
            var scheduled = Structured(await bobOnB.CallToolAsync("schedule_hunt", new Dictionary<string, object?>(name) { ["every"] = "PT1H", ["tenant"] = "contoso" }, cancellationToken: Ct));
            var bobStopped = Structured(await bobOnB.CallToolAsync("unschedule_hunt", name, cancellationToken: Ct));
            var stopped = Structured(await aliceOnB.CallToolAsync("unschedule_hunt", name, cancellationToken: Ct));

            Assert.True(scheduled.GetProperty("scheduled").GetBoolean());
            Assert.Equal("'phishing-clicks' is no longer scheduled on contoso.", bobStopped.GetProperty("message").GetString());
            Assert.DoesNotContain("fabrikam", bobStopped.GetRawText(), StringComparison.Ordinal);

            // The schedule alice made was still stored (on fabrikam) when she stopped it.
            Assert.Equal("'phishing-clicks' is no longer scheduled on fabrikam.", stopped.GetProperty("message").GetString());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task With_redis_down_writes_are_refused_reads_answer_and_readyz_fails_and_all_resumes_when_it_is_back()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        var env = ClusterEnvironment(redis, ("DEFENDER_CONFIRMATION", "none"));
        await using var server = await HttpServerHost.StartAsync(env, Ct);
        await using var client = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var readyz = new Uri(server.BaseUrl, "/readyz");
        var incident = await FirstIncidentAsync(client);
        Structured(await Comment(client, incident, "before the outage"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(readyz, Ct)).StatusCode);

        redis.Stop();
        var refused = await Comment(client, incident, "during the outage");
        var read = await client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["limit"] = 2 }, cancellationToken: Ct);
        var hunt = await client.CallToolAsync("query_advanced_hunting", new Dictionary<string, object?> { ["query"] = "DeviceProcessEvents | take 3" }, cancellationToken: Ct);
        var notReady = await http.GetAsync(readyz, Ct);

        Assert.Equal("policy_denied", ErrorCode(refused));
        Assert.Contains("shared state store (Redis) cannot be reached", Text(refused), StringComparison.Ordinal);
        Assert.True(Structured(read).GetProperty("incidents").GetArrayLength() > 0);
        var huntResult = Structured(hunt);
        Assert.Equal(3, huntResult.GetProperty("row_count").GetInt32());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.DoesNotContain(server.Stderr, l => l.Contains(redis.Password, StringComparison.Ordinal));
        var pagedLocally = Structured(await client.CallToolAsync("get_hunting_results", new Dictionary<string, object?> { ["result_id"] = huntResult.GetProperty("result_id").GetString() }, cancellationToken: Ct));
        Assert.Equal(3, pagedLocally.GetProperty("rows").GetArrayLength());

        await redis.RestartAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while ((await http.GetAsync(readyz, timeout.Token)).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(250, timeout.Token);
        }

        Assert.True(Structured(await Comment(client, incident, "after the outage")).GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task With_redis_down_the_state_tools_say_so_with_retry_after_and_never_name_the_redis_or_its_password()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        var env = ClusterEnvironment(redis, ("DEFENDER_CONFIRMATION", "token"));
        await using var server = await HttpServerHost.StartAsync(env, Ct);
        await using var client = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct);
        var name = new Dictionary<string, object?> { ["name"] = "phishing-clicks" };
        Structured(await client.CallToolAsync("schedule_hunt", new Dictionary<string, object?>(name) { ["every"] = "PT1H" }, cancellationToken: Ct));
        var incident = await FirstIncidentAsync(client);

        redis.Stop();
        var stateTools = new Dictionary<string, CallToolResult>
        {
            ["get_hunt_results"] = await client.CallToolAsync("get_hunt_results", name, cancellationToken: Ct),
            ["schedule_hunt"] = await client.CallToolAsync("schedule_hunt", new Dictionary<string, object?>(name) { ["every"] = "PT2H" }, cancellationToken: Ct),
            ["unschedule_hunt"] = await client.CallToolAsync("unschedule_hunt", name, cancellationToken: Ct),
        };
        // The safety state (confirmation token, budget) refuses the write, as documented for policy_denied.
        var preview = await Comment(client, incident, "during the outage");
        var status = await client.CallToolAsync("get_server_status", new Dictionary<string, object?>(), cancellationToken: Ct);
        var ran = await client.CallToolAsync("run_saved_hunt", name, cancellationToken: Ct);
        // A server lists the schedules it follows from memory.
        var listed = await client.CallToolAsync("list_saved_hunts", new Dictionary<string, object?>(), cancellationToken: Ct);

        foreach (var (tool, result) in stateTools)
        {
            Assert.True(ErrorCode(result) == "upstream_error", $"{tool}: {ErrorCode(result)}: {Text(result)}");
            var error = ((JsonElement)result.StructuredContent!).GetProperty("error");
            Assert.True(error.TryGetProperty("retry_after", out var wait) && wait.GetInt32() > 0, $"{tool}: no retry_after");
            Assert.Contains("shared state store (Redis) cannot be reached", Text(result), StringComparison.Ordinal);
        }

        Assert.Equal("policy_denied", ErrorCode(preview));
        Assert.Contains("shared state store (Redis) cannot be reached", Text(preview), StringComparison.Ordinal);
        Structured(status);
        Structured(ran);
        Structured(listed);
        foreach (var text in stateTools.Values.Append(preview).Append(status).Select(Text))
        {
            Assert.DoesNotContain(redis.Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(redis.Connection, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(server.Stderr, l => l.Contains(redis.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_redis_down_reading_a_result_held_only_there_says_try_again_without_an_error_log_or_the_redis()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        var env = ClusterEnvironment(redis);
        await using var a = await HttpServerHost.StartAsync(env, Ct);
        await using var b = await HttpServerHost.StartAsync(env, Ct);
        await using var clientA = await ConnectAsync(a.McpUrl, fixture.Keys["alice"], Ct);
        await using var clientB = await ConnectAsync(b.McpUrl, fixture.Keys["alice"], Ct);
        var hunt = Structured(await clientA.CallToolAsync("query_advanced_hunting", new Dictionary<string, object?> { ["query"] = "DeviceProcessEvents | take 3" }, cancellationToken: Ct));
        var uri = "defender://results/" + hunt.GetProperty("result_id").GetString();

        redis.Stop();
        var down = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => clientB.ReadResourceAsync(uri, cancellationToken: Ct).AsTask());

        // Not -32002 (the result may well be there): the standard server-side error, saying to try again.
        Assert.Equal(ModelContextProtocol.McpErrorCode.InternalError, down.ErrorCode);
        Assert.Contains("try again in a moment", down.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(redis.Connection, down.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(redis.Password, down.Message, StringComparison.Ordinal);
        // A store that is down for a moment is no bug of the server's: no error-level line, no stack trace.
        Assert.DoesNotContain(b.Stderr, l => l.Contains("fail: ", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
        Assert.Contains(b.Stderr, l => l.Contains("warn: ", StringComparison.Ordinal) && l.Contains("resources/read", StringComparison.Ordinal));
        Assert.DoesNotContain(b.Stderr, l => l.Contains(redis.Password, StringComparison.Ordinal) || l.Contains(redis.Connection, StringComparison.Ordinal));
    }

    private Dictionary<string, string> ClusterEnvironment(RedisServer redis, params (string, string)[] extra) =>
        fixture.Environment([.. redis.ServerEnvironment("test-" + Guid.NewGuid().ToString("N")), .. extra]);

    private static async Task<string> FirstIncidentAsync(McpClient client)
    {
        var list = Structured(await client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: Ct));
        return list.GetProperty("incidents")[0].GetProperty("id").GetString()!;
    }

    private static async Task<CallToolResult> Comment(McpClient client, string incident, string comment, bool dryRun = false, string? token = null)
    {
        var args = new Dictionary<string, object?> { ["incident_id"] = incident, ["comment"] = comment };
        if (dryRun)
        {
            args["dry_run"] = true;
        }

        if (token is not null)
        {
            args["confirmation_token"] = token;
        }

        return await client.CallToolAsync("add_incident_comment", args, cancellationToken: Ct);
    }

    private static string Text(CallToolResult result) => string.Join(' ', result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    // The scheduled runs each replica audited: when, and which slot (slot n starts at the schedule's creation plus n
    // intervals; a cluster's run names it in its audit line's notes as slot=n).
    private static List<(HttpServerHost Host, DateTimeOffset At, long Slot)> Runs(IEnumerable<HttpServerHost> hosts) =>
        [.. hosts.SelectMany(h => h.AuditLines()
                .Where(l => l.GetProperty("event").GetString() == "scheduled_hunt_run")
                .Select(l => (h, l.GetProperty("ts").GetDateTimeOffset(), Slot(l))))
            .OrderBy(r => r.Item2)];

    private static async Task<JsonElement> HuntResultsAsync(McpClient client, Func<JsonElement, bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var results = Structured(await client.CallToolAsync("get_hunt_results", new Dictionary<string, object?> { ["name"] = "phishing-clicks" }, cancellationToken: Ct));
            if (done(results))
            {
                return results;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

        private static long Slot(JsonElement auditLine) =>
        long.Parse(auditLine.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).Single(n => n.StartsWith("slot=", StringComparison.Ordinal))["slot=".Length..], System.Globalization.CultureInfo.InvariantCulture);

    private static Task<List<(HttpServerHost Host, DateTimeOffset At, long Slot)>> WaitForRunsAsync(IReadOnlyList<HttpServerHost> hosts, int count, TimeSpan limit) =>
        WaitForRunsAsync(hosts, runs => runs.Count >= count, limit);

    private static async Task<List<(HttpServerHost Host, DateTimeOffset At, long Slot)>> WaitForRunsAsync(IReadOnlyList<HttpServerHost> hosts, Func<List<(HttpServerHost Host, DateTimeOffset At, long Slot)>, bool> enough, TimeSpan limit)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(limit);
        while (Runs(hosts) is var runs && !enough(runs))
        {
            await Task.Delay(200, timeout.Token);
        }

        return Runs(hosts);
    }

    // When each stored run started, oldest first (one run per tenant per slot; the test has one tenant).
    private static async Task<List<DateTimeOffset>> StoredRunStartsAsync(McpClient client)
    {
        var stored = Structured(await client.CallToolAsync("get_hunt_results", new Dictionary<string, object?> { ["name"] = "phishing-clicks" }, cancellationToken: Ct));
        return [.. stored.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_at").GetDateTimeOffset()).Order()];
    }

    // Two replicas that both ran a slot would both audit it: every slot number appears once across the replicas.
    private static void AssertOncePerSlot(IEnumerable<HttpServerHost> hosts)
    {
        var runs = Runs(hosts);
        Assert.True(runs.Count >= 2, $"{runs.Count} runs");
        var twice = runs.GroupBy(r => r.Slot).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"slots run more than once: {string.Join(", ", twice)}");
    }
}
