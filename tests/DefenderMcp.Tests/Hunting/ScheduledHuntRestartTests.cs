using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.State;
using DefenderMcp.Tests.State;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hunting;

/// <summary>
/// Scheduled hunts with a state folder, through the real path: an SDK client against our server against the emulator,
/// the server disposed and a new one started on the same folder.
/// </summary>
public sealed class ScheduledHuntRestartTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly TempFolder _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private Task<ServerHarness> StartAsync(string? stateFolder = null) => ServerHarness.StartAsync(
        fixture,
        s => s with { StateFolder = stateFolder ?? _temp.State, HuntScheduleMinimum = TimeSpan.FromMilliseconds(50) },
        ActionTier.Respond);

    private static async Task<List<JsonElement>> RunsAsync(ServerHarness server, string hunt) =>
        [.. (await server.CallOkAsync("get_hunt_results", new() { ["name"] = hunt })).GetProperty("runs").EnumerateArray().Select(r => r.Clone())];

    private static async Task<List<JsonElement>> WaitForRunsAsync(ServerHarness server, string hunt, Func<List<JsonElement>, bool> enough)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var runs = await RunsAsync(server, hunt);
            if (enough(runs))
            {
                return runs;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    private static async Task<string?> ScheduledEveryAsync(ServerHarness server, string hunt)
    {
        var hunts = (await server.CallOkAsync("list_saved_hunts")).GetProperty("hunts").EnumerateArray();
        var every = hunts.Single(h => h.GetProperty("name").GetString() == hunt).GetProperty("scheduled_every");
        return every.ValueKind == JsonValueKind.Null ? null : every.GetString();
    }

    // The intended change to the golden tools-list.json: both tools now say what a restart does to schedules and runs.
    [Fact]
    public async Task The_schedule_tools_tell_the_model_what_survives_a_restart()
    {
        await using var server = await StartAsync();
        var tools = await server.Client.ListToolsAsync(cancellationToken: Ct);

        var schedule = tools.Single(t => t.Name == "schedule_hunt").Description;
        var results = tools.Single(t => t.Name == "get_hunt_results").Description;
        Assert.Contains("at once, then every interval", schedule, StringComparison.Ordinal);
        Assert.Contains("With a state folder the schedule and its runs survive a restart", schedule, StringComparison.Ordinal);
        Assert.Contains("runs from before a restart are included", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_and_its_runs_survive_a_restart_and_it_keeps_running()
    {
        List<JsonElement> before;
        await using (var first = await StartAsync())
        {
            var scheduled = await first.CallOkAsync("schedule_hunt", new() { ["name"] = "phishing-clicks", ["every"] = "PT1S", ["tenant"] = "fabrikam" });
            Assert.Contains("across restarts", scheduled.GetProperty("message").GetString(), StringComparison.Ordinal);
            before = await WaitForRunsAsync(first, "phishing-clicks", r => r.Count >= 2);
        }

        var earlier = before.Select(r => r.GetProperty("run_at").GetString()).ToHashSet(StringComparer.Ordinal);
        var restartedAt = DateTimeOffset.UtcNow;
        await using var second = await StartAsync();

        Assert.Equal("PT1S", await ScheduledEveryAsync(second, "phishing-clicks"));
        var after = await RunsAsync(second, "phishing-clicks");
        Assert.Superset(earlier, after.Select(r => r.GetProperty("run_at").GetString()).ToHashSet(StringComparer.Ordinal));
        var oldRun = after.First(r => earlier.Contains(r.GetProperty("run_at").GetString()!));
        Assert.Equal("fabrikam", oldRun.GetProperty("tenant").GetString());
        Assert.True(oldRun.GetProperty("row_count").GetInt32() >= 1);
        Assert.NotEmpty(oldRun.GetProperty("rows").EnumerateArray());

        // It keeps running after the restart, on the same tenant.
        var resumed = await WaitForRunsAsync(second, "phishing-clicks", r => r.Any(x => x.GetProperty("run_at").GetDateTimeOffset() > restartedAt));
        Assert.All(resumed, r => Assert.Equal("fabrikam", r.GetProperty("tenant").GetString()));
        Assert.Contains(second.AuditLines(), l => l.GetProperty("event").GetString() == "scheduled_hunt_run");

        // Unscheduled, it stays unscheduled across the next restart; its runs stay readable.
        Assert.False((await second.CallOkAsync("unschedule_hunt", new() { ["name"] = "phishing-clicks" })).GetProperty("scheduled").GetBoolean());
        var kept = (await RunsAsync(second, "phishing-clicks")).Count;
        await using var third = await StartAsync();
        Assert.Null(await ScheduledEveryAsync(third, "phishing-clicks"));
        await Task.Delay(1500, Ct); // more than one interval: a run here would mean the schedule came back
        Assert.Equal(kept, (await RunsAsync(third, "phishing-clicks")).Count);
    }

    [Fact]
    public async Task A_new_schedule_runs_at_once_and_a_resumed_one_waits_for_its_interval()
    {
        DateTimeOffset firstRun;
        await using (var first = await StartAsync())
        {
            var asked = DateTimeOffset.UtcNow;
            await first.CallOkAsync("schedule_hunt", new() { ["name"] = "encoded-powershell", ["every"] = "PT1H", ["tenant"] = "contoso" });
            var runs = await WaitForRunsAsync(first, "encoded-powershell", r => r.Count >= 1);
            firstRun = runs[0].GetProperty("run_at").GetDateTimeOffset();
            Assert.True(firstRun - asked < TimeSpan.FromSeconds(30), $"first run {firstRun - asked} after scheduling");
            await Task.Delay(500, Ct);
            Assert.Single(await RunsAsync(first, "encoded-powershell"));
        }

        await using var second = await StartAsync();
        Assert.Equal("PT1H", await ScheduledEveryAsync(second, "encoded-powershell"));
        await Task.Delay(1000, Ct); // the last run was moments ago: the next is due in an hour, not at start
        var run = Assert.Single(await RunsAsync(second, "encoded-powershell"));
        Assert.Equal(firstRun, run.GetProperty("run_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Retention_settings_bound_the_runs_kept_across_restarts()
    {
        await using (var first = await ServerHarness.StartAsync(
            fixture,
            s => s with { StateFolder = _temp.State, HuntScheduleMinimum = TimeSpan.FromMilliseconds(50), HuntRetention = new HuntRetention(3, 1024 * 1024) },
            ActionTier.Respond))
        {
            await first.CallOkAsync("schedule_hunt", new() { ["name"] = "high-severity-alerts", ["every"] = "PT0.1S", ["tenant"] = "contoso" });
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(60));
                while (first.AuditLines().Count(l => l.GetProperty("event").GetString() == "scheduled_hunt_run") < 6)
                {
                    await Task.Delay(100, timeout.Token);
                }
            }

            Assert.Equal(3, (await RunsAsync(first, "high-severity-alerts")).Count);
            await first.CallOkAsync("unschedule_hunt", new() { ["name"] = "high-severity-alerts" });
        }

        await using var second = await StartAsync();
        Assert.Equal(3, (await RunsAsync(second, "high-severity-alerts")).Count);
    }

    [Fact]
    public async Task Stored_rows_are_not_trusted_an_unknown_tenant_is_not_resumed_and_a_future_run_time_does_not_stall_a_schedule()
    {
        var store = new SqliteHuntScheduleStore(_temp.State, HuntRetention.Default, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var future = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await store.SaveScheduleAsync(new HuntScheduleEntry("phishing-clicks", "not-configured", TimeSpan.FromHours(1), future), Ct);
        await store.SaveScheduleAsync(new HuntScheduleEntry("encoded-powershell", "contoso", TimeSpan.FromSeconds(1), future), Ct);
        await store.AddRunAsync(new HuntRunEntry("encoded-powershell", "contoso", future, JsonSerializer.Serialize(new { hunt = "encoded-powershell", tenant = "contoso", run_at = future, row_count = 0, rows = Array.Empty<object>() })), Ct);

        await using var server = await StartAsync();

        Assert.Null(await ScheduledEveryAsync(server, "phishing-clicks"));
        Assert.Equal("PT1S", await ScheduledEveryAsync(server, "encoded-powershell"));
        var runs = await WaitForRunsAsync(server, "encoded-powershell", r => r.Any(x => x.GetProperty("run_at").GetDateTimeOffset() < future));
        Assert.Equal(future, runs[0].GetProperty("run_at").GetDateTimeOffset()); // newest first: the planted one stays
        Assert.Empty(await RunsAsync(server, "phishing-clicks"));
        Assert.DoesNotContain("not-configured", server.AuditWriter.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_folder_removed_while_the_server_runs_is_made_again_and_new_schedules_are_kept()
    {
        await using var server = await StartAsync();
        await server.CallOkAsync("schedule_hunt", new() { ["name"] = "phishing-clicks", ["every"] = "PT1H", ["tenant"] = "contoso" });
        await WaitForRunsAsync(server, "phishing-clicks", r => r.Count >= 1);

        Directory.Delete(_temp.State, recursive: true);
        await server.CallOkAsync("schedule_hunt", new() { ["name"] = "encoded-powershell", ["every"] = "PT1H", ["tenant"] = "contoso" });
        var runs = await WaitForRunsAsync(server, "encoded-powershell", r => r.Count >= 1);

        Assert.Equal("contoso", runs[0].GetProperty("tenant").GetString());
        Assert.True(File.Exists(Path.Combine(_temp.State, SqliteHuntScheduleStore.FileName)));
        await using var restarted = await StartAsync();
        Assert.Equal("PT1H", await ScheduledEveryAsync(restarted, "encoded-powershell"));
    }

    [Fact]
    public async Task A_corrupt_state_file_does_not_stop_the_server_and_the_schedule_tools_say_what_is_wrong()
    {
        Directory.CreateDirectory(_temp.State);
        await File.WriteAllTextAsync(Path.Combine(_temp.State, SqliteHuntScheduleStore.FileName), new string('#', 4096), Ct);
        await using var server = await StartAsync();

        var (code, message) = await server.CallErrorAsync("schedule_hunt", new() { ["name"] = "phishing-clicks", ["every"] = "PT1H" });
        var results = await server.CallErrorAsync("get_hunt_results", new() { ["name"] = "phishing-clicks" });
        var other = await server.CallOkAsync("list_saved_hunts");

        Assert.Equal("internal_error", code);
        Assert.Contains("not a readable DefenderMcp state database", message, StringComparison.Ordinal);
        Assert.Contains("Move it aside", results.Message, StringComparison.Ordinal);
        Assert.True(other.GetProperty("count").GetInt32() > 0);
    }
}
