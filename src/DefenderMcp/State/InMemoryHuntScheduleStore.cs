namespace DefenderMcp.State;

/// <summary>
/// Schedules and runs kept in memory for the life of the process: the store when no state folder is configured.
/// Same retention as the durable stores.
/// </summary>
public sealed class InMemoryHuntScheduleStore(HuntRetention retention) : IHuntScheduleStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HuntScheduleEntry> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<HuntRunEntry>> _runs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool IsDurable => false;

    /// <inheritdoc />
    public Task<IReadOnlyList<HuntScheduleEntry>> SchedulesAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<HuntScheduleEntry>>([.. _schedules.Values]);
        }
    }

    /// <inheritdoc />
    public Task<HuntScheduleEntry?> SaveScheduleAsync(HuntScheduleEntry schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        lock (_gate)
        {
            var previous = _schedules.GetValueOrDefault(schedule.Key);
            _schedules[schedule.Key] = schedule;
            return Task.FromResult(previous);
        }
    }

    /// <inheritdoc />
    public Task<bool> RemoveScheduleAsync(string hunt, string tenant, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_schedules.Remove(HuntScheduleEntry.SlotName(hunt, tenant)));
        }
    }

    /// <inheritdoc />
    public Task AddRunAsync(HuntRunEntry run, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_runs.TryGetValue(run.Hunt, out var runs))
            {
                _runs[run.Hunt] = runs = [];
            }

            // Kept oldest first; retention counts from the newest end.
            runs.Add(run);
            var keep = retention.Keep([.. Enumerable.Reverse(runs).Select(r => r.Bytes)]);
            runs.RemoveRange(0, runs.Count - keep);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HuntRunEntry>> RunsAsync(string hunt, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<HuntRunEntry> runs = _runs.TryGetValue(hunt, out var all)
                ? [.. Enumerable.Reverse(all).Where(r => since is null || r.RunAt >= since).OrderByDescending(r => r.RunAt)]
                : [];
            return Task.FromResult(runs);
        }
    }
}
