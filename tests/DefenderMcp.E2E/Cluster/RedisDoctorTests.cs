using DefenderMcp.Configuration;
using DefenderMcp.E2E.Packaging;
using DefenderMcp.Hosting.Doctor;
using DefenderMcp.State;
using DefenderMcp.State.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.E2E.Cluster;

/// <summary>
/// doctor's <c>state</c> check against a real redis-server: a working Redis passes, an unreachable one or a wrong
/// password is a problem within the check's wait, an ACL user without scripting is named, and the ACL that
/// docs/deployment.md gives is enough for the check and for the stores themselves. No password is ever printed.
/// </summary>
public sealed class RedisDoctorTests
{
    /// <summary>The ACL rule docs/deployment.md gives for the server's Redis user, without the key pattern: read from the doc, so the two cannot drift.</summary>
    public static string DocumentedCommands { get; } = ReadDocumentedCommands();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reachable_redis_passes_with_a_round_trip_and_the_connection_is_not_printed()
    {
        await using var redis = await RedisServer.SharedOrStartAsync(Ct);

        var finding = await StateStoreCheck.RunAsync(new RedisSettings(redis.Connection, redis.PasswordOrNull, Prefix(), null), null, Ct);

        Assert.Equal(DoctorStatus.Ok, finding.Status);
        Assert.Contains("set, read and delete through a script work", finding.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(redis.Password, finding.Detail + finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_redis_is_the_embedded_state_and_passes()
    {
        var finding = await StateStoreCheck.RunAsync(null, null, Ct);

        Assert.Equal(DoctorStatus.Ok, finding.Status);
        Assert.Contains("embedded", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_redis_is_a_problem_named_with_its_fix()
    {
        var finding = await StateStoreCheck.RunAsync(new RedisSettings($"127.0.0.1:{RedisServer.FreePort()}", null, Prefix(), null), null, Ct);

        Assert.Equal(DoctorStatus.Problem, finding.Status);
        Assert.Contains("does not answer", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("DEFENDER_MCP_REDIS", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_in_the_url_is_a_problem_and_is_never_printed()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        const string Wrong = "wrong-pw-Qx81";

        var finding = await StateStoreCheck.RunAsync(new RedisSettings($"redis://default:{Wrong}@127.0.0.1:{redis.Port}", null, Prefix(), null), null, Ct);

        Assert.Equal(DoctorStatus.Problem, finding.Status);
        Assert.DoesNotContain(Wrong, finding.Detail + finding.Fix, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{redis.Port}", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_acl_user_without_scripting_is_named_and_the_documented_acl_serves_the_check_and_the_stores()
    {
        await using var redis = await RedisServer.StartAsync(Ct);
        var prefix = Prefix();
        Assert.StartsWith("+OK", await redis.CommandAsync(Ct, ["ACL", "SETUSER", "noscript", "on", ">pw-noscript", $"~{{{prefix}}}:*", .. DocumentedCommands.Split(' ').Where(c => !c.StartsWith("+eval", StringComparison.Ordinal))]), StringComparison.Ordinal);
        Assert.StartsWith("+OK", await redis.CommandAsync(Ct, ["ACL", "SETUSER", "defmcp", "on", ">pw-defmcp", $"~{{{prefix}}}:*", .. DocumentedCommands.Split(' ')]), StringComparison.Ordinal);

        var refused = await StateStoreCheck.RunAsync(new RedisSettings($"redis://noscript:pw-noscript@127.0.0.1:{redis.Port}", null, prefix, null), null, Ct);
        // As docs/deployment.md shows it: the user in the connection string, the password from its own setting.
        var allowed = await StateStoreCheck.RunAsync(new RedisSettings($"127.0.0.1:{redis.Port},user=defmcp", "pw-defmcp", prefix, null), null, Ct);

        Assert.Equal(DoctorStatus.Problem, refused.Status);
        Assert.Contains("refused a command the server needs", refused.Detail, StringComparison.Ordinal);
        Assert.Contains("NOPERM", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(DoctorStatus.Ok, allowed.Status);

        // A store step the ACL refuses says so (it used to read "cannot be reached", which points at the network).
        using (var noscript = RedisConnection.Connect(new RedisSettings($"redis://noscript:pw-noscript@127.0.0.1:{redis.Port}", null, prefix, null), NullLogger.Instance))
        {
            var denied = await Assert.ThrowsAsync<StateStoreException>(() => new RedisActionBudgetStore(noscript).TryReserveAsync("contoso", 5, 1, Ct));
            Assert.Contains("refused a command the server needs", denied.Message, StringComparison.Ordinal);
            Assert.Contains("NOPERM", denied.Message, StringComparison.Ordinal);
        }

        // A command refused inside a transaction (EXECABORT) is named as refused too, not as the network.
        Assert.StartsWith("+OK", await redis.CommandAsync(Ct, ["ACL", "SETUSER", "nohsetnx", "on", ">pw-nohsetnx", $"~{{{prefix}}}:*", .. DocumentedCommands.Split(' ').Where(c => c != "+hsetnx")]), StringComparison.Ordinal);
        using (var nohsetnx = RedisConnection.Connect(new RedisSettings($"redis://nohsetnx:pw-nohsetnx@127.0.0.1:{redis.Port}", null, prefix, null), NullLogger.Instance))
        {
            await nohsetnx.Database.HashSetAsync(nohsetnx.Key("hunts:schedules"), "old-shape", "{\"EveryMs\":300000,\"Tenants\":[\"contoso\"],\"CreatedMs\":0}");
            var aborted = await Assert.ThrowsAsync<StateStoreException>(() => new RedisHuntScheduleStore(nohsetnx, new DefenderMcp.State.HuntRetention(10, 1 << 20)).SchedulesAsync(Ct));
            Assert.Contains("refused a command the server needs", aborted.Message, StringComparison.Ordinal);
            Assert.False(aborted.Unreachable);
            await nohsetnx.Database.HashDeleteAsync(nohsetnx.Key("hunts:schedules"), "old-shape");
        }

        // The same user runs the stores' own steps: a budget reservation, a rate window, a cached result.
        using var connection = RedisConnection.Connect(new RedisSettings($"redis://defmcp:pw-defmcp@127.0.0.1:{redis.Port}", null, prefix, null), NullLogger.Instance);
        Assert.True((await new RedisActionBudgetStore(connection).TryReserveAsync("contoso", 5, 1, Ct)).Allowed);
        var cache = new RedisResultCacheStore(connection, 1 << 20);
        await cache.PutAsync("hr_doctor", new byte[] { 1, 2, 3 }, TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(new byte[] { 1, 2, 3 }, await cache.GetAsync("hr_doctor", Ct));

        // And the stores that used to fail with this user (NOPERM read as "cannot be reached"): confirmation tokens,
        // schedules with their checked changes and runs, and run leases.
        var tokens = new DefenderMcp.Policy.ConfirmationTokens(TimeProvider.System, TimeSpan.FromMinutes(5), new RedisConfirmationLedger(connection));
        var args = new System.Text.Json.Nodes.JsonObject { ["incident_id"] = "4301" };
        var (token, _) = await tokens.IssueAsync("add_incident_comment", "contoso", null, args, Ct);
        Assert.True(await tokens.TryRedeemAsync(token, "add_incident_comment", "contoso", null, args, Ct));
        var schedules = new RedisHuntScheduleStore(connection, new DefenderMcp.State.HuntRetention(10, 1 << 20));
        var entry = new DefenderMcp.State.HuntScheduleEntry("encoded-powershell", "contoso", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow);
        // A schedule stored in the earlier shape (one field per hunt) is moved to one per tenant by this user too.
        Assert.True(await connection.Database.HashSetAsync(connection.Key("hunts:schedules"), "phishing-clicks", "{\"EveryMs\":300000,\"Tenants\":[\"contoso\",\"fabrikam\"],\"CreatedMs\":0}"));
        Assert.Equal(2, (await schedules.SchedulesAsync(Ct)).Count);
        Assert.True(await schedules.RemoveScheduleAsync("phishing-clicks", "contoso", Ct));
        Assert.True(await schedules.RemoveScheduleAsync("phishing-clicks", "fabrikam", Ct));
        await schedules.SaveScheduleAsync(entry, Ct);
        Assert.NotNull(await schedules.SaveScheduleAsync(entry with { Every = TimeSpan.FromMinutes(10) }, Ct));
        await schedules.AddRunAsync(new DefenderMcp.State.HuntRunEntry("encoded-powershell", "contoso", DateTimeOffset.UtcNow, "{}"), Ct);
        Assert.Single(await schedules.RunsAsync("encoded-powershell", null, Ct));
        Assert.Single(await schedules.SchedulesAsync(Ct));
        Assert.True(await schedules.RemoveScheduleAsync("encoded-powershell", "contoso", Ct));
        var leases = new RedisHuntRunLeases(connection);
        Assert.True(await leases.TryClaimAsync("encoded-powershell", 1, "me", TimeSpan.FromSeconds(30), Ct));
        Assert.True(await leases.RenewAsync("encoded-powershell", 1, "me", TimeSpan.FromSeconds(30), Ct));
        Assert.True(await leases.IsHeldAsync("encoded-powershell", 1, Ct));
        await leases.CompleteAsync("encoded-powershell", 1, "me", TimeSpan.FromMinutes(1), Ct);
    }

    private static string Prefix() => "doctor-" + Guid.NewGuid().ToString("N");

    private static string ReadDocumentedCommands()
    {
        var line = File.ReadLines(Path.Combine(RepositoryFiles.Root, "docs", "deployment.md")).Single(l => l.StartsWith("ACL SETUSER defmcp ", StringComparison.Ordinal));
        return string.Join(' ', line.Split(' ').Where(word => word.StartsWith('+')));
    }
}
