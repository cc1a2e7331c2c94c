using System.Diagnostics;

namespace DefenderMcp.Bench;

/// <summary>
/// The steady-state benchmarks' clock: tenants in rotation, a warm-up of at least 10 s and three rounds per tenant
/// (samples taken then are not counted), then <paramref name="seconds"/> of measuring.
/// </summary>
/// <param name="seconds">How long to measure once warm.</param>
/// <param name="keys">The tenants, taken in turn.</param>
internal sealed class SteadyLoop(int seconds, IReadOnlyList<string> keys)
{
    private readonly Stopwatch _warmUp = Stopwatch.StartNew();
    private readonly Stopwatch _measuring = new();
    private int _round;

    /// <summary>True until the warm-up is over: samples taken now are not counted.</summary>
    public bool Warm { get; private set; } = true;

    /// <summary>
    /// Whether to run another round; on the round that ends the warm-up, <paramref name="warmedUp"/> is true (and
    /// the switch is announced on stderr).
    /// </summary>
    public bool Next(out bool warmedUp)
    {
        warmedUp = false;
        if (Warm && _warmUp.Elapsed.TotalSeconds >= 10 && _round >= 3 * keys.Count)
        {
            Warm = false;
            warmedUp = true;
            _measuring.Restart();
            Console.Error.WriteLine($"warm after {_round} rounds; measuring {seconds} s from {DateTime.UtcNow:HH:mm:ss.fff}");
        }

        return Warm || _measuring.Elapsed.TotalSeconds < seconds;
    }

    /// <summary>Starts the measuring window again (after a measurement taken outside the loop's rounds).</summary>
    public void RestartMeasuring() => _measuring.Restart();

    /// <summary>The next round's tenant.</summary>
    public string NextTenant() => keys[_round++ % keys.Count];

    /// <summary>
    /// Takes <paramref name="calls"/> from a tenant's quota <paramref name="window"/> (at most <paramref name="max"/> a
    /// minute, the client's own limits kept with a margin); false, taking nothing, when they do not fit.
    /// </summary>
    public static bool Take(Queue<DateTime> window, int max, int calls = 1)
    {
        var now = DateTime.UtcNow;
        while (window.Count > 0 && now - window.Peek() > TimeSpan.FromSeconds(61))
        {
            window.Dequeue();
        }

        if (window.Count + calls > max)
        {
            return false;
        }

        for (var i = 0; i < calls; i++)
        {
            window.Enqueue(now);
        }

        return true;
    }
}
