using System.Collections.Concurrent;
using System.Text.Json;
using System.Text;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Audit;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>
/// Runs saved hunts in the background while the server lives. Results are kept bounded in memory (the last runs per
/// hunt) and optionally appended to a JSONL file per hunt. Every run writes an audit line.
/// </summary>
public sealed class HuntScheduler(ServerSettings settings, TenantRegistry tenants, HuntingResultCache cache, AuditLog audit, TimeProvider time, ILogger<HuntScheduler> logger) : IAsyncDisposable
{
    /// <summary>Runs kept in memory per hunt.</summary>
    public const int RunsKept = 50;

    /// <summary>Rows kept per run.</summary>
    public const int RowsKept = 20;

    private readonly ConcurrentDictionary<string, ScheduledHunt> _schedules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<HuntRunRecord>> _runs = new(StringComparer.Ordinal);
    private readonly Lock _fileGate = new();

    /// <summary>The current schedules: hunt, interval and tenants.</summary>
    public IReadOnlyList<(string Hunt, TimeSpan Every, IReadOnlyList<string> Tenants)> Schedules =>
        [.. _schedules.Values.Select(s => (s.Hunt.Name, s.Every, (IReadOnlyList<string>)[.. s.Tenants.Select(t => t.Key)]))];

    /// <summary>Starts (or replaces) the schedule of <paramref name="hunt"/>.</summary>
    public void Schedule(SavedHunt hunt, TimeSpan every, IReadOnlyList<TenantSettings> targets, HuntingRun run)
    {
        var schedule = new ScheduledHunt(hunt, every, targets, run, new CancellationTokenSource());
        if (_schedules.TryRemove(hunt.Name, out var previous))
        {
            previous.Stop.Cancel();
        }

        _schedules[hunt.Name] = schedule;
        schedule.Loop = Task.Run(() => LoopAsync(schedule));
    }

    /// <summary>Stops the schedule of <paramref name="name"/>; false when there was none.</summary>
    public async Task<bool> UnscheduleAsync(string name)
    {
        if (!_schedules.TryRemove(name, out var schedule))
        {
            return false;
        }

        await schedule.Stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await (schedule.Loop ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the loop ends by cancellation.
        }

        schedule.Stop.Dispose();
        return true;
    }

    /// <summary>Runs of <paramref name="name"/> at or after <paramref name="since"/>, newest first.</summary>
    public IReadOnlyList<HuntRunRecord> Results(string name, DateTimeOffset? since) =>
        _runs.TryGetValue(name, out var runs)
            ? [.. runs.Where(r => since is null || r.RunAt >= since).OrderByDescending(r => r.RunAt)]
            : [];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var name in _schedules.Keys.ToList())
        {
            await UnscheduleAsync(name).ConfigureAwait(false);
        }
    }

    private async Task LoopAsync(ScheduledHunt schedule)
    {
        using var timer = new PeriodicTimer(schedule.Every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(schedule.Stop.Token).ConfigureAwait(false))
            {
                foreach (var tenant in schedule.Tenants)
                {
                    Record(await RunOnceAsync(schedule, tenant, schedule.Stop.Token).ConfigureAwait(false));
                }
            }
        }
        catch (OperationCanceledException) when (schedule.Stop.IsCancellationRequested)
        {
            // Unscheduled.
        }
    }

    private async Task<HuntRunRecord> RunOnceAsync(ScheduledHunt schedule, TenantSettings tenant, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        try
        {
            var result = await tenants.GetClient(tenant).RunHuntingQueryAsync(schedule.Run.Query, schedule.Run.Timespan.Iso, cancellationToken).ConfigureAwait(false);
            var cached = cache.Add(tenant.Key, schedule.Run.Query, schedule.Run.Timespan.Iso, result);
            var page = RowPager.Page(result, 0, RowsKept, null, settings.HuntingByteBudget);
            Audit(schedule, tenant, "success", null, result.Rows.Count);
            return new HuntRunRecord(schedule.Hunt.Name, tenant.Key, started, result.Rows.Count, page.Rows, cached?.ResultId, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (code, message, _) = ToolErrors.Describe(ex);
            if (code == ErrorCodes.InternalError)
            {
                logger.LogError("Scheduled hunt {Hunt} failed with {ExceptionType}", schedule.Hunt.Name, ex.GetType().FullName);
            }

            Audit(schedule, tenant, "error", code, 0);
            return new HuntRunRecord(schedule.Hunt.Name, tenant.Key, started, null, [], null, $"{code}: {message}");
        }
    }

    private void Audit(ScheduledHunt schedule, TenantSettings tenant, string outcome, string? errorCode, long rows) => audit.Write(new AuditRecord
    {
        Event = "scheduled_hunt_run",
        Tool = "schedule_hunt",
        Tenants = [tenant.Key],
        Parameters = new System.Text.Json.Nodes.JsonObject { ["name"] = schedule.Hunt.Name, ["query"] = schedule.Run.Query, ["timespan"] = schedule.Run.Timespan.Iso },
        Outcome = outcome,
        ErrorCode = errorCode,
        Counts = new Dictionary<string, long> { ["rows"] = rows },
    });

    private void Record(HuntRunRecord record)
    {
        var runs = _runs.GetOrAdd(record.Hunt, _ => new ConcurrentQueue<HuntRunRecord>());
        runs.Enqueue(record);
        while (runs.Count > RunsKept && runs.TryDequeue(out _))
        {
        }

        if (settings.HuntResultsFolder is not { } folder)
        {
            return;
        }

        try
        {
            lock (_fileGate)
            {
                var path = Path.Combine(folder, record.Hunt + ".jsonl");
                var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(path, options);
                stream.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, ToolJson.Options) + "\n"));
            }
        }
        catch (IOException ex)
        {
            logger.LogWarning("Could not append a hunt result: {Reason}", ex.GetType().Name);
        }
    }

    private sealed class ScheduledHunt(SavedHunt hunt, TimeSpan every, IReadOnlyList<TenantSettings> tenants, HuntingRun run, CancellationTokenSource stop)
    {
        public SavedHunt Hunt { get; } = hunt;

        public TimeSpan Every { get; } = every;

        public IReadOnlyList<TenantSettings> Tenants { get; } = tenants;

        public HuntingRun Run { get; } = run;

        public CancellationTokenSource Stop { get; } = stop;

        public Task? Loop { get; set; }
    }
}
