using System.Globalization;
using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Hosting;
using DefenderMcp.Policy;
using DefenderMcp.State;
using DefenderMcp.Tests.State;
using DefenderMcp.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.Tests.Hunting;

/// <summary>
/// get_hunt_results tells a polling analyst whether a run is under way (run_in_progress) and when the next is due
/// (schedule), through the real path: an SDK client against our server against the emulator, whose hunting answer is
/// slowed by fault injection so a run can be seen while it runs. In memory the server's own loop knows; on a state
/// folder the server that does not run the hunt knows from the other one's lease.
/// </summary>
public sealed class HuntRunStatusTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string Hunt = "phishing-clicks";
    private readonly TempFolder _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_run_is_in_progress_while_the_slow_upstream_answers_then_not_and_the_schedule_names_the_next_run()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond);
        var before = await server.CallOkAsync("get_hunt_results", new() { ["name"] = Hunt });
        Assert.False(before.GetProperty("run_in_progress").GetBoolean());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("schedule").ValueKind);

        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 4000, Count = 1, Tenant = "fabrikam", PathPattern = "runHuntingQuery" }, Ct);
        try
        {
            var scheduledAt = DateTimeOffset.UtcNow;
            await server.CallOkAsync("schedule_hunt", new() { ["name"] = Hunt, ["every"] = "PT1H", ["tenant"] = "fabrikam" });

            // The run starts on the scheduler's loop a moment after the call; the upstream holds it for 4 s.
            var during = await WaitAsync(server, r => r.GetProperty("run_in_progress").GetBoolean() || r.GetProperty("count").GetInt32() > 0);
            Assert.True(during.GetProperty("run_in_progress").GetBoolean());
            Assert.Equal(0, during.GetProperty("count").GetInt32());
            AssertNextRunWithin(during, scheduledAt.AddHours(1), TimeSpan.FromSeconds(10));

            // The run is recorded a moment before the loop marks it over.
            var after = await WaitAsync(server, r => r.GetProperty("count").GetInt32() >= 1 && !r.GetProperty("run_in_progress").GetBoolean());
            Assert.Equal(1, after.GetProperty("count").GetInt32());
            AssertNextRunWithin(after, scheduledAt.AddHours(1), TimeSpan.FromSeconds(10));

            await server.CallOkAsync("unschedule_hunt", new() { ["name"] = Hunt });
            var unscheduled = await server.CallOkAsync("get_hunt_results", new() { ["name"] = Hunt });
            Assert.False(unscheduled.GetProperty("run_in_progress").GetBoolean());
            Assert.Equal(JsonValueKind.Null, unscheduled.GetProperty("schedule").ValueKind);
            Assert.Equal(1, unscheduled.GetProperty("count").GetInt32());
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task On_a_shared_state_folder_a_server_that_does_not_run_the_hunt_sees_the_run_by_its_lease()
    {
        await using var first = await StartOnFolderAsync();
        await using var second = await StartOnFolderAsync();
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 4000, Count = 1, Tenant = "fabrikam", PathPattern = "runHuntingQuery" }, Ct);
        try
        {
            var scheduledAt = DateTimeOffset.UtcNow;
            await first.CallOkAsync("schedule_hunt", new() { ["name"] = Hunt, ["every"] = "PT1H", ["tenant"] = "fabrikam" });

            // Both follow the store and one of them claims the slot; the other's answer can only come from the lease.
            var during = await WaitAsync(first, r => r.GetProperty("run_in_progress").GetBoolean() || r.GetProperty("count").GetInt32() > 0);
            Assert.True(during.GetProperty("run_in_progress").GetBoolean());
            var seen = await second.CallOkAsync("get_hunt_results", new() { ["name"] = Hunt });
            Assert.True(seen.GetProperty("run_in_progress").GetBoolean());
            Assert.Equal(0, seen.GetProperty("count").GetInt32());
            AssertNextRunWithin(during, scheduledAt.AddHours(1), TimeSpan.FromSeconds(10));
            AssertNextRunWithin(seen, scheduledAt.AddHours(1), TimeSpan.FromSeconds(10));

            foreach (var server in new[] { first, second })
            {
                var after = await WaitAsync(server, r => r.GetProperty("count").GetInt32() >= 1 && !r.GetProperty("run_in_progress").GetBoolean());
                Assert.Equal(1, after.GetProperty("count").GetInt32());
                AssertNextRunWithin(after, scheduledAt.AddHours(1), TimeSpan.FromSeconds(10));
            }

            var runs = first.AuditLines().Concat(second.AuditLines()).Count(l => l.GetProperty("event").GetString() == "scheduled_hunt_run");
            Assert.Equal(1, runs);
            await first.CallOkAsync("unschedule_hunt", new() { ["name"] = Hunt });
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_process_that_runs_no_schedules_on_a_local_store_cannot_tell_until_it_does()
    {
        var settings = DemoEnvironment.SettingsFor(fixture.Emulator, ActionTier.Respond, ConfirmationMode.Elicitation);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDefenderMcp(settings, new SynchronizedWriter());
        await using var provider = services.BuildServiceProvider();
        // What defender-mcp call builds: the scheduler, never resumed by a host.
        var scheduler = provider.GetRequiredService<HuntScheduler>();

        var oneShot = await scheduler.StatusAsync(Hunt, _ => true, Ct);
        Assert.Null(oneShot.RunInProgress);
        Assert.Null(oneShot.Schedule);
        Assert.Null(oneShot.Tenants);

        await scheduler.ResumeAsync(Ct);
        var hosted = await scheduler.StatusAsync(Hunt, _ => true, Ct);
        Assert.False(hosted.RunInProgress);
        Assert.Null(hosted.Schedule);
    }

    [Fact]
    public async Task Leases_that_do_not_answer_leave_it_unknown_and_the_schedule_still_reads()
    {
        await using var provider = Services(ActionTier.Respond);
        var settings = provider.GetRequiredService<ServerSettings>();
        var time = new ManualTimeProvider();
        var hunt = provider.GetRequiredService<SavedHuntLibrary>().Find(Hunt)!;
        await using var scheduler = Scheduler(provider, new UnansweringLeases(), time);
        var created = time.GetUtcNow();
        await scheduler.ScheduleAsync(hunt, TimeSpan.FromMinutes(15), [settings.Tenants[0]], HuntingRun.Prepare(hunt.Query, HuntingTimespan.Parse(hunt.Timespan)), Ct);
        time.Advance(TimeSpan.FromMinutes(20));

        var status = await scheduler.StatusAsync(Hunt, _ => true, Ct);

        Assert.Null(status.RunInProgress);
        // Slot 1 began at creation + 15 min; the next, slot 2, at creation + 30 min.
        Assert.Equal($"every 15m, next run {created.AddMinutes(30):yyyy-MM-dd'T'HH:mm:ss'Z'} (UTC)", status.Schedule);
        Assert.Equal([settings.Tenants[0].Key], status.Tenants);
    }

    [Fact]
    public async Task A_stored_schedule_no_server_here_can_run_says_why_instead_of_a_next_run()
    {
        // Scheduled while its tenant allowed respond; the tenant is read-only now, so the schedule is kept but not run.
        await using var provider = Services(ActionTier.Read);
        var settings = provider.GetRequiredService<ServerSettings>();
        var time = new ManualTimeProvider();
        await provider.GetRequiredService<IHuntScheduleStore>().SaveScheduleAsync(new HuntScheduleEntry(Hunt, settings.Tenants[0].Key, TimeSpan.FromMinutes(15), time.GetUtcNow()), Ct);
        await using var scheduler = Scheduler(provider, new UnansweringLeases(), time);
        await scheduler.ResumeAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(20));

        var status = await scheduler.StatusAsync(Hunt, _ => true, Ct);

        // It used to say "every 15m, next run <time>" at every look, while nothing ran.
        Assert.Equal("every 15m, not running: its tenant is no longer configured at the respond tier (schedule it again or unschedule it)", status.Schedule);
        Assert.False(status.RunInProgress);
        Assert.Empty(scheduler.Schedules);
    }

    [Fact]
    public async Task A_run_stopped_by_shutdown_is_audited_as_cancelled_and_hands_its_slot_back()
    {
        // The server stops while its replica runs a slot: the run used to vanish from the trail and its lease to stay
        // held until it lapsed, so no other replica ran that slot (with an interval up to the lease, never).
        var console = new SynchronizedWriter();
        await using var provider = Services(ActionTier.Respond, console);
        var settings = provider.GetRequiredService<ServerSettings>();
        var hunt = provider.GetRequiredService<SavedHuntLibrary>().Find(Hunt)!;
        var leases = new RecordingLeases();
        var scheduler = Scheduler(provider, leases, TimeProvider.System);
        var tenant = settings.Tenants.Single(t => t.Key == "fabrikam");
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 8000, Count = 1, Tenant = "fabrikam", PathPattern = "runHuntingQuery" }, Ct);
        await scheduler.ScheduleAsync(hunt, TimeSpan.FromMinutes(15), [tenant], HuntingRun.Prepare(hunt.Query, HuntingTimespan.Parse(hunt.Timespan)), Ct);
        while ((await scheduler.StatusAsync(Hunt, _ => true, Ct)).RunInProgress != true)
        {
            await Task.Delay(50, Ct);
        }

        // The query is on its way to the slowed upstream (the emulator records a request once it answers).
        await Task.Delay(1000, Ct);
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await scheduler.DisposeAsync();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopping.Elapsed}");

        Assert.Contains(leases.Renewals, r => r.Lease <= TimeSpan.FromMilliseconds(1));
        Assert.Empty(leases.Completed);
        var run = console.ToString().Split('\n').Where(l => l.Contains("\"scheduled_hunt_run\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement).Single();
        Assert.Equal("cancelled", run.GetProperty("outcome").GetString());
        Assert.Equal(["fabrikam"], run.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
    }

    private sealed class RecordingLeases : IHuntRunLeases
    {
        public System.Collections.Concurrent.ConcurrentBag<(long Slot, TimeSpan Lease)> Renewals { get; } = [];

        public System.Collections.Concurrent.ConcurrentBag<long> Completed { get; } = [];

        public bool IsShared => true;

        public Task<bool> TryClaimAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> RenewAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken)
        {
            Renewals.Add((slot, lease));
            return Task.FromResult(true);
        }

        public Task CompleteAsync(string hunt, long slot, string owner, TimeSpan keep, CancellationToken cancellationToken)
        {
            Completed.Add(slot);
            return Task.CompletedTask;
        }

        public Task<bool> IsHeldAsync(string hunt, long slot, CancellationToken cancellationToken) => Task.FromResult(false);
    }

    [Theory]
    [InlineData("PT1H", "1h")]
    [InlineData("PT15M", "15m")]
    [InlineData("PT1H30M", "1h30m")]
    [InlineData("P7D", "7d")]
    [InlineData("P1DT2H", "1d2h")]
    [InlineData("PT0.2S", "200ms")]
    [InlineData("PT90S", "1m30s")]
    public void An_interval_reads_short(string iso, string expected) =>
        Assert.Equal(expected, HuntScheduleStatus.Interval(System.Xml.XmlConvert.ToTimeSpan(iso)));

    [Fact]
    public void The_schedule_sentence_names_the_interval_and_the_next_run_in_UTC()
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 12, 0, TimeSpan.Zero);
        var next = new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal("every 1h, next run 2026-12-01T10:00:00Z (UTC)", HuntScheduleStatus.Sentence(TimeSpan.FromHours(1), next, now));
        Assert.Equal("every 1h, next run due now", HuntScheduleStatus.Sentence(TimeSpan.FromHours(1), now, now));
        Assert.Equal("every 15m, next run unknown", HuntScheduleStatus.Sentence(TimeSpan.FromMinutes(15), null, now));
    }

    private Task<ServerHarness> StartOnFolderAsync() =>
        ServerHarness.StartAsync(fixture, s => s with { StateFolder = _temp.State }, ActionTier.Respond);

    private static void AssertNextRunWithin(JsonElement results, DateTimeOffset expected, TimeSpan tolerance)
    {
        var schedule = results.GetProperty("schedule").GetString()!;
        Assert.StartsWith("every 1h, next run ", schedule, StringComparison.Ordinal);
        Assert.EndsWith("Z (UTC)", schedule, StringComparison.Ordinal);
        var at = DateTimeOffset.Parse(schedule["every 1h, next run ".Length..^" (UTC)".Length], CultureInfo.InvariantCulture);
        Assert.InRange(at, expected - tolerance, expected + tolerance);
    }

    // Shared leases whose store is down: no claim is granted, and no question answered.
    // The server's services over the emulator, as the host builds them, with the audit trail written to console.
    private ServiceProvider Services(ActionTier tier, SynchronizedWriter? console = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDefenderMcp(DemoEnvironment.SettingsFor(fixture.Emulator, tier, ConfirmationMode.Elicitation), console ?? new SynchronizedWriter());
        return services.BuildServiceProvider();
    }

    // A scheduler over those services, with the leases and clock a test needs.
    private static HuntScheduler Scheduler(ServiceProvider provider, IHuntRunLeases leases, TimeProvider time) => new(
        provider.GetRequiredService<ServerSettings>(),
        provider.GetRequiredService<TenantRegistry>(),
        provider.GetRequiredService<HuntingResultCache>(),
        provider.GetRequiredService<SavedHuntLibrary>(),
        provider.GetRequiredService<IHuntScheduleStore>(),
        leases,
        provider.GetRequiredService<AuditLog>(),
        time,
        NullLogger<HuntScheduler>.Instance);

    private sealed class UnansweringLeases : IHuntRunLeases
    {
        public bool IsShared => true;

        public Task<bool> TryClaimAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<bool> RenewAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task CompleteAsync(string hunt, long slot, string owner, TimeSpan keep, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> IsHeldAsync(string hunt, long slot, CancellationToken cancellationToken) => throw new StateStoreException("the shared state store (Redis) cannot be reached.");
    }

        private static async Task<JsonElement> WaitAsync(ServerHarness server, Func<JsonElement, bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var results = await server.CallOkAsync("get_hunt_results", new() { ["name"] = Hunt });
            if (done(results))
            {
                return results;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
