using System.Collections.Concurrent;
using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting;
using DefenderMcp.Policy;
using DefenderMcp.State;
using DefenderMcp.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.Tests.Hunting;

/// <summary>
/// The cluster loop of <see cref="HuntScheduler"/> with shared leases that stall: a replica whose claim is granted only
/// after the slot's interval has ended must not run that slot (a lease that lapsed at that end may still be running it
/// elsewhere, and the next slot is due), but mark it done and run the current one. The runs go to the emulator.
/// </summary>
public sealed class SharedScheduleLeaseTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lease_granted_after_its_slot_ended_is_marked_done_unrun_and_the_current_slot_runs()
    {
        var settings = DemoEnvironment.SettingsFor(fixture.Emulator, ActionTier.Respond, ConfirmationMode.Elicitation);
        var console = new SynchronizedWriter();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDefenderMcp(settings, console);
        await using var provider = services.BuildServiceProvider();
        var time = new ManualTimeProvider();
        var leases = new StallingLeases(time, stalledSlot: 0, stall: Every + TimeSpan.FromMilliseconds(1));
        var library = provider.GetRequiredService<SavedHuntLibrary>();
        var hunt = library.Find("phishing-clicks")!;
        await using (var scheduler = new HuntScheduler(
            settings,
            provider.GetRequiredService<TenantRegistry>(),
            provider.GetRequiredService<HuntingResultCache>(),
            library,
            provider.GetRequiredService<IHuntScheduleStore>(),
            leases,
            provider.GetRequiredService<AuditLog>(),
            time,
            NullLogger<HuntScheduler>.Instance))
        {
            await scheduler.ScheduleAsync(hunt, Every, [settings.Tenants[0]], HuntingRun.Prepare(hunt.Query, HuntingTimespan.Parse(hunt.Timespan)), Ct);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while (RunSlots(console).Count == 0)
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        // Slot 0 was claimed, then found stale and completed without a run or a renewal; slot 1 ran, once.
        Assert.Equal(["slot=1"], RunSlots(console));
        Assert.Equal([0L, 1L], leases.Claimed.Order());
        Assert.Contains(0L, leases.Completed);
        Assert.DoesNotContain(0L, leases.Renewed);
    }

    private static List<string> RunSlots(SynchronizedWriter console) =>
        [.. console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("event").GetString() == "scheduled_hunt_run")
            .Select(e => e.GetProperty("notes")[0].GetString()!)];

    // Shared leases that grant every claim, but the claim of one slot takes so long that the clock passes its end.
    private sealed class StallingLeases(ManualTimeProvider time, long stalledSlot, TimeSpan stall) : IHuntRunLeases
    {
        public ConcurrentBag<long> Claimed { get; } = [];

        public ConcurrentBag<long> Renewed { get; } = [];

        public ConcurrentBag<long> Completed { get; } = [];

        public bool IsShared => true;

        public Task<bool> TryClaimAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken)
        {
            if (slot == stalledSlot)
            {
                time.Advance(stall);
            }

            Claimed.Add(slot);
            return Task.FromResult(true);
        }

        public Task<bool> RenewAsync(string hunt, long slot, string owner, TimeSpan lease, CancellationToken cancellationToken)
        {
            Renewed.Add(slot);
            return Task.FromResult(true);
        }

        public Task CompleteAsync(string hunt, long slot, string owner, TimeSpan keep, CancellationToken cancellationToken)
        {
            Completed.Add(slot);
            return Task.CompletedTask;
        }

        public Task<bool> IsHeldAsync(string hunt, long slot, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
