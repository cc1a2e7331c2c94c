using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.State;
using DefenderMcp.State.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.E2E.Cluster;

/// <summary>
/// The Redis stores against a real redis-server, each "replica" with a connection of its own: atomic budgets, lease
/// hand-over, bounded results, retention, and the fallback of rate limits while Redis is down.
/// </summary>
public sealed class RedisStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_reservations_from_two_connections_never_exceed_the_budget_and_bulk_counts_each_action()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var prefix = Prefix();
        using var one = Connect(redis, prefix);
        using var two = Connect(redis, prefix);
        var stores = new[] { new RedisActionBudgetStore(one), new RedisActionBudgetStore(two) };

        var decisions = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => stores[i % 2].TryReserveAsync("contoso", 10, 1, Ct)));
        var other = await stores[0].TryReserveAsync("fabrikam", 10, 8, Ct);
        var tooMany = await stores[1].TryReserveAsync("fabrikam", 10, 3, Ct);
        var peek = await stores[1].PeekAsync("fabrikam", 10, 2, Ct);

        Assert.Equal(10, decisions.Count(d => d.Allowed));
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.True(d.FreesAt > DateTimeOffset.UtcNow.AddMinutes(50)));
        Assert.True(other.Allowed);
        Assert.Equal(2, other.Remaining);
        Assert.False(tooMany.Allowed);
        Assert.Equal(2, tooMany.Remaining);
        Assert.True(peek.Allowed);
    }

    [Fact]
    public async Task A_lease_not_renewed_lapses_and_another_owner_takes_the_slot_which_is_then_done_for_everyone()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var prefix = Prefix();
        using var one = Connect(redis, prefix);
        using var two = Connect(redis, prefix);
        var a = new RedisHuntRunLeases(one);
        var b = new RedisHuntRunLeases(two);
        var lease = TimeSpan.FromMilliseconds(700);

        Assert.True(await a.TryClaimAsync("hunt", 7, "a", lease, Ct));
        Assert.False(await b.TryClaimAsync("hunt", 7, "b", lease, Ct));
        Assert.True(await a.RenewAsync("hunt", 7, "a", lease, Ct));
        Assert.False(await b.RenewAsync("hunt", 7, "b", lease, Ct));
        await Task.Delay(1200, Ct);
        Assert.True(await b.TryClaimAsync("hunt", 7, "b", lease, Ct));
        Assert.False(await a.RenewAsync("hunt", 7, "a", lease, Ct));
        await b.CompleteAsync("hunt", 7, "b", TimeSpan.FromMinutes(1), Ct);
        await a.CompleteAsync("hunt", 7, "a", TimeSpan.FromMinutes(1), Ct);
        await Task.Delay(1200, Ct);
        Assert.False(await a.TryClaimAsync("hunt", 7, "a", lease, Ct));
        Assert.True(await a.TryClaimAsync("hunt", 8, "a", lease, Ct));
    }

    [Fact]
    public async Task The_shared_result_cache_stays_under_its_byte_cap_dropping_the_oldest_and_expires_entries()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        using var connection = Connect(redis, Prefix());
        var store = new RedisResultCacheStore(connection, 100_000);
        var entry = new byte[30_000];

        for (var i = 0; i < 5; i++)
        {
            entry[0] = (byte)i;
            await store.PutAsync("hr_" + i, entry, TimeSpan.FromMinutes(5), Ct);
        }

        await store.PutAsync("hr_short", new byte[10], TimeSpan.FromMilliseconds(300), Ct);
        var kept = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            if (await store.GetAsync("hr_" + i, Ct) is { } bytes)
            {
                Assert.Equal(i, bytes[0]);
                kept.Add(i);
            }
        }

        Assert.Equal([2, 3, 4], kept);
        Assert.NotNull(await store.GetAsync("hr_short", Ct));
        await Task.Delay(600, Ct);
        Assert.Null(await store.GetAsync("hr_short", Ct));
        await store.PutAsync("hr_big", new byte[100_001], TimeSpan.FromMinutes(5), Ct);
        Assert.Null(await store.GetAsync("hr_big", Ct));
    }

    [Fact]
    public async Task Schedules_and_runs_are_shared_and_runs_keep_to_the_retention()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var prefix = Prefix();
        using var one = Connect(redis, prefix);
        using var two = Connect(redis, prefix);
        var a = new RedisHuntScheduleStore(one, new HuntRetention(3, 1024 * 1024));
        var b = new RedisHuntScheduleStore(two, new HuntRetention(3, 1024 * 1024));
        var created = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        await a.SaveScheduleAsync(new HuntScheduleEntry("phishing-clicks", "contoso", TimeSpan.FromMinutes(5), created), Ct);
        for (var i = 0; i < 5; i++)
        {
            await b.AddRunAsync(new HuntRunEntry("phishing-clicks", "contoso", created.AddMinutes(i), $"{{\"n\":{i}}}"), Ct);
        }

        var schedule = Assert.Single(await b.SchedulesAsync(Ct));
        var runs = await a.RunsAsync("phishing-clicks", null, Ct);
        var recent = await a.RunsAsync("phishing-clicks", created.AddMinutes(4), Ct);

        Assert.Equal(created, schedule.CreatedAt);
        Assert.Equal("contoso", schedule.Tenant);
        Assert.Equal(["{\"n\":4}", "{\"n\":3}", "{\"n\":2}"], runs.Select(r => r.Payload));
        Assert.Single(recent);
        Assert.True(await b.RemoveScheduleAsync("phishing-clicks", "contoso", Ct));
        Assert.Empty(await a.SchedulesAsync(Ct));
    }

    [Fact]
    public async Task A_schedule_stored_in_the_earlier_shape_is_read_as_one_per_tenant_and_each_changes_alone()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var prefix = Prefix();
        using var one = Connect(redis, prefix);
        using var two = Connect(redis, prefix);
        var a = new RedisHuntScheduleStore(one, new HuntRetention(3, 1024 * 1024));
        var b = new RedisHuntScheduleStore(two, new HuntRetention(3, 1024 * 1024));
        var created = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // As the earlier version wrote it: field = hunt, its tenants in the value.
        await one.Database.HashSetAsync(one.Key("hunts:schedules"), "phishing-clicks", $"{{\"EveryMs\":300000,\"Tenants\":[\"contoso\",\"fabrikam\"],\"CreatedMs\":{created.ToUnixTimeMilliseconds()}}}");

        var both = await Task.WhenAll(a.SchedulesAsync(Ct), b.SchedulesAsync(Ct));
        Assert.All(both, read => Assert.Equal(["phishing-clicks/contoso", "phishing-clicks/fabrikam"], read.Select(s => s.Key).Order(StringComparer.Ordinal)));
        Assert.All(both[0], s => Assert.Equal(created, s.CreatedAt));
        Assert.All(both[0], s => Assert.Equal(TimeSpan.FromMinutes(5), s.Every));

        Assert.True(await b.RemoveScheduleAsync("phishing-clicks", "fabrikam", Ct));
        var replaced = await a.SaveScheduleAsync(new HuntScheduleEntry("phishing-clicks", "contoso", TimeSpan.FromMinutes(10), created.AddMinutes(1)), Ct);

        Assert.Equal(created, replaced!.CreatedAt);
        var left = Assert.Single(await b.SchedulesAsync(Ct));
        Assert.Equal(("contoso", TimeSpan.FromMinutes(10)), (left.Tenant, left.Every));
    }

    [Fact]
    public async Task Rate_windows_are_shared_and_fall_back_to_this_replica_while_redis_is_down()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        var prefix = Prefix();
        using var one = Connect(redis, prefix);
        using var two = Connect(redis, prefix);
        var quota = new RateQuota(3);
        var a = new RedisRateWindows(one, "contoso", TimeProvider.System, NullLogger.Instance);
        var b = new RedisRateWindows(two, "contoso", TimeProvider.System, NullLogger.Instance);

        Assert.Null(await a.TryTakeAsync("hunting", quota, Ct));
        Assert.Null(await b.TryTakeAsync("hunting", quota, Ct));
        Assert.Null(await a.TryTakeAsync("hunting", quota, Ct));
        var wait = await b.TryTakeAsync("hunting", quota, Ct);
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        Assert.Null(await b.TryTakeAsync("graph", quota, Ct));

        redis.Stop();
        var budget = new RedisActionBudgetStore(one);
        await Assert.ThrowsAsync<StateStoreException>(() => budget.TryReserveAsync("contoso", 10, 1, Ct));
        Assert.False(await one.IsAvailableAsync(Ct));
        // This replica alone now: three calls, then a wait.
        Assert.Null(await a.TryTakeAsync("hunting", quota, Ct));
        Assert.Null(await a.TryTakeAsync("hunting", quota, Ct));
        Assert.Null(await a.TryTakeAsync("hunting", quota, Ct));
        Assert.NotNull(await a.TryTakeAsync("hunting", quota, Ct));
    }

    [Fact]
    public void Settings_take_the_password_from_a_private_file_and_never_echo_the_connection_string()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var folder = Directory.CreateTempSubdirectory("defender-mcp-redis-settings-").FullName;
        try
        {
            var file = Path.Combine(folder, "pw");
            File.WriteAllText(file, "s3cret\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var problems = new List<string>();
            var settings = RedisSettings.Read(
                name => name switch { "DEFENDER_MCP_REDIS" => "rediss://redis.internal:6380", "DEFENDER_MCP_REDIS_PASSWORD_FILE" => file, _ => null },
                problems);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var loose = new List<string>();
            RedisSettings.Read(name => name switch { "DEFENDER_MCP_REDIS" => "127.0.0.1:6379", "DEFENDER_MCP_REDIS_PASSWORD_FILE" => file, _ => null }, loose);
            var bad = new List<string>();
            RedisSettings.Read(name => name == "DEFENDER_MCP_REDIS" ? "redis://:hunter2@" : null, bad);
            var orphan = new List<string>();
            Assert.Null(RedisSettings.Read(name => name == "DEFENDER_MCP_REDIS_PASSWORD" ? "x" : null, orphan));

            Assert.Empty(problems);
            Assert.Equal("s3cret", settings!.Password);
            Assert.True(RedisConnection.TryOptions(settings.Connection)!.Ssl);
            Assert.DoesNotContain("s3cret", settings.ToString(), StringComparison.Ordinal);
            Assert.Contains(loose, p => p.Contains("chmod 600", StringComparison.Ordinal));
            Assert.Single(bad);
            Assert.DoesNotContain("hunter2", bad[0], StringComparison.Ordinal);
            Assert.Single(orphan);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task After_redis_loses_its_data_a_spent_token_is_not_accepted_again_and_replicas_agree_on_the_new_key()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);
        var prefix = Prefix();
        using var one = Connect(redis, prefix);
        using var two = Connect(redis, prefix);
        var time = TimeProvider.System;
        var first = new DefenderMcp.Policy.ConfirmationTokens(time, TimeSpan.FromMinutes(5), new RedisConfirmationLedger(one));
        var second = new DefenderMcp.Policy.ConfirmationTokens(time, TimeSpan.FromMinutes(5), new RedisConfirmationLedger(two));
        var args = new System.Text.Json.Nodes.JsonObject { ["incident_id"] = "4302", ["comment"] = "T3" };
        var (token, _) = await first.IssueAsync("add_incident_comment", "contoso", "api_key:alice", args, Ct);
        Assert.True(await first.TryRedeemAsync(token, "add_incident_comment", "contoso", "api_key:alice", args, Ct));

        // Redis restarted without persistence: the key and every spent mark are gone.
        foreach (var key in new[] { "confirmation:key", "confirmation:spent:" + token.Split('.')[3] })
        {
            await one.Database.KeyDeleteAsync(one.Key(key));
        }

        // The same confirmation again used to be accepted (the replica kept the old key) and the write sent twice.
        bool replayed;
        try
        {
            replayed = await first.TryRedeemAsync(token, "add_incident_comment", "contoso", "api_key:alice", args, Ct);
        }
        catch (StateStoreException)
        {
            replayed = false;
        }

        Assert.False(replayed);

        // Both replicas sign with the key in Redis now: a token of one is accepted once by the other.
        var (fresh, _) = await second.IssueAsync("add_incident_comment", "contoso", "api_key:alice", args, Ct);
        Assert.True(await first.TryRedeemAsync(fresh, "add_incident_comment", "contoso", "api_key:alice", args, Ct));
        Assert.False(await second.TryRedeemAsync(fresh, "add_incident_comment", "contoso", "api_key:alice", args, Ct));
    }

    [Fact]
    public async Task While_redis_is_down_a_result_held_only_there_reads_as_unavailable_not_as_expired()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        var prefix = Prefix();
        using var one = Connect(redis, prefix);
        using var two = Connect(redis, prefix);
        var store = new RedisResultCacheStore(one, 1 << 20);
        var first = new DefenderMcp.Areas.Hunting.HuntingResultCache(1 << 20, TimeSpan.FromMinutes(30), TimeProvider.System, store);
        var second = new DefenderMcp.Areas.Hunting.HuntingResultCache(1 << 20, TimeSpan.FromMinutes(30), TimeProvider.System, new RedisResultCacheStore(two, 1 << 20));
        var row = (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes("""{"A":"x"}""");
        var added = await first.AddAsync("contoso", "DeviceInfo | take 1", "P1D", new HuntingResult([new HuntingColumn("A", "string")], [row], 9), Ct);
        Assert.NotNull(added);

        redis.Stop();

        // The replica that made it still has it; the other used to answer "expired, run the query again".
        Assert.NotNull(await first.TryGetAsync(added.ResultId, "contoso", Ct));
        var down = await Assert.ThrowsAsync<StateStoreException>(() => second.TryGetAsync(added.ResultId, "contoso", Ct));
        Assert.Equal(DefenderMcp.Areas.Hunting.HuntingResultCache.SharedStoreDown, down.Message);
    }

    private static string Prefix() => "test-" + Guid.NewGuid().ToString("N");

    private static RedisConnection Connect(RedisServer redis, string prefix)
    {
        var settings = new RedisSettings(redis.Connection, redis.PasswordOrNull, prefix, null);
        return RedisConnection.Connect(settings, NullLogger.Instance);
    }
}
