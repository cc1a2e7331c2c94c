using System.Collections.Concurrent;

namespace DefenderMcp.Policy;

/// <summary>Per-tenant hourly write budget: a circuit breaker against a runaway agent.</summary>
public sealed class ActionBudget(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _spent = new(StringComparer.Ordinal);

    /// <summary>Reserves one action; false with the time the budget frees up when <paramref name="perHour"/> are spent.</summary>
    public bool TryReserve(string tenant, int perHour, out DateTimeOffset freesAt) => TryReserve(tenant, perHour, 1, out freesAt);

    /// <summary>
    /// Reserves <paramref name="count"/> actions at once (a bulk device action counts each device), or none: false with
    /// the time enough of the budget frees up.
    /// </summary>
    public bool TryReserve(string tenant, int perHour, int count, out DateTimeOffset freesAt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
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
                freesAt = FreesAt(queue, perHour, count, now);
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(now);
            }

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
    public bool HasRoom(string tenant, int perHour, out DateTimeOffset freesAt) => HasRoom(tenant, perHour, 1, out freesAt);

    /// <summary>True when <paramref name="count"/> more actions fit now (no reservation).</summary>
    public bool HasRoom(string tenant, int perHour, int count, out DateTimeOffset freesAt)
    {
        var now = time.GetUtcNow();
        var queue = _spent.GetOrAdd(tenant, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            var live = new Queue<DateTimeOffset>(queue.Where(t => now - t < Window));
            var fits = live.Count + count <= perHour;
            freesAt = fits ? now : FreesAt(live, perHour, count, now);
            return fits;
        }
    }

    // When enough of the oldest reservations expire for count more to fit (count above perHour never fits).
    private static DateTimeOffset FreesAt(Queue<DateTimeOffset> live, int perHour, int count, DateTimeOffset now)
    {
        var mustExpire = live.Count + count - perHour;
        return mustExpire <= 0 ? now : count > perHour || mustExpire > live.Count ? now + Window : live.ElementAt(mustExpire - 1) + Window;
    }
}
