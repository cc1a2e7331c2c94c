using System.Collections.Concurrent;

namespace DefenderMcp.Policy;

/// <summary>Per-tenant hourly write budget: a circuit breaker against a runaway agent.</summary>
public sealed class ActionBudget(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _spent = new(StringComparer.Ordinal);

    /// <summary>Reserves one action; false with the time the budget frees up when <paramref name="perHour"/> are spent.</summary>
    public bool TryReserve(string tenant, int perHour, out DateTimeOffset freesAt)
    {
        var now = time.GetUtcNow();
        var queue = _spent.GetOrAdd(tenant, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            while (queue.Count > 0 && now - queue.Peek() >= Window)
            {
                queue.Dequeue();
            }

            if (queue.Count >= perHour)
            {
                freesAt = queue.Count > 0 ? queue.Peek() + Window : now + Window;
                return false;
            }

            queue.Enqueue(now);
            freesAt = now;
            return true;
        }
    }

    /// <summary>How many actions are left in the rolling hour.</summary>
    public int Remaining(string tenant, int perHour)
    {
        var now = time.GetUtcNow();
        var queue = _spent.GetOrAdd(tenant, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            return Math.Max(0, perHour - queue.Count(t => now - t < Window));
        }
    }

    /// <summary>True when one more action fits now (no reservation).</summary>
    public bool HasRoom(string tenant, int perHour, out DateTimeOffset freesAt)
    {
        var now = time.GetUtcNow();
        var queue = _spent.GetOrAdd(tenant, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            var live = queue.Where(t => now - t < Window).ToList();
            freesAt = live.Count > 0 ? live[0] + Window : now;
            return live.Count < perHour;
        }
    }
}
