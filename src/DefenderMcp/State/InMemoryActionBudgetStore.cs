using System.Collections.Concurrent;

namespace DefenderMcp.State;

/// <summary>The budgets of one process: a queue of action times per tenant, trimmed to the rolling hour.</summary>
public sealed class InMemoryActionBudgetStore(TimeProvider time) : IActionBudgetStore
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _spent = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<BudgetDecision> TryReserveAsync(string tenant, int perHour, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Decide(tenant, perHour, count, reserve: true));

    /// <inheritdoc />
    public Task<BudgetDecision> PeekAsync(string tenant, int perHour, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Decide(tenant, perHour, count, reserve: false));

    // When enough of the oldest reservations expire for count more to fit (count above perHour never fits).
    private static DateTimeOffset FreesAt(Queue<DateTimeOffset> live, int perHour, int count, DateTimeOffset now)
    {
        var mustExpire = live.Count + count - perHour;
        return mustExpire <= 0 ? now : count > perHour || mustExpire > live.Count ? now + Window : live.ElementAt(mustExpire - 1) + Window;
    }

    private BudgetDecision Decide(string tenant, int perHour, int count, bool reserve)
    {
        var now = time.GetUtcNow();
        var queue = _spent.GetOrAdd(tenant, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            while (queue.Count > 0 && now - queue.Peek() >= Window)
            {
                queue.Dequeue();
            }

            if (queue.Count + count > perHour)
            {
                return new BudgetDecision(false, Math.Max(0, perHour - queue.Count), FreesAt(queue, perHour, count, now));
            }

            for (var i = 0; reserve && i < count; i++)
            {
                queue.Enqueue(now);
            }

            return new BudgetDecision(true, perHour - queue.Count, now);
        }
    }
}
