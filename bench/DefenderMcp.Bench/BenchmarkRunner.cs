using System.Globalization;

namespace DefenderMcp.Bench;

/// <summary>Runs the named benchmark and prints a Markdown table for docs/benchmarks.md.</summary>
internal static class BenchmarkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var name = args.FirstOrDefault() ?? "help";
        int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : fallback;
        switch (name)
        {
            case "shaping":
                await ShapingBenchmark.RunAsync(Arg(1, 100_000)).ConfigureAwait(false);
                return 0;
            case "startup":
                await ServerBenchmarks.StartupAsync(Arg(1, 7), args.Contains("r2r")).ConfigureAwait(false);
                return 0;
            case "first-call":
                await ServerBenchmarks.FirstCallAsync(Arg(1, 5)).ConfigureAwait(false);
                return 0;
            case "per-call":
                await ServerBenchmarks.PerCallAsync(Arg(1, 3)).ConfigureAwait(false);
                return 0;
            case "per-call-latency":
                // The same as per-call with upstream latency injected in the emulator, one table per latency.
                foreach (var latency in (args.Length > 2 ? args[2] : "20,100").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
                {
                    await ServerBenchmarks.PerCallAsync(Arg(1, 1), latency).ConfigureAwait(false);
                }

                return 0;
            case "hunt-result":
                await HuntResultBenchmark.RunAsync(Arg(1, 3000)).ConfigureAwait(false);
                return 0;
            case "hunt-stages":
                await HuntStagesBenchmark.RunAsync(Arg(1, 2000)).ConfigureAwait(false);
                return 0;
            case "floor":
                await FloorBenchmark.RunAsync(Arg(1, 30), Arg(2, 20)).ConfigureAwait(false);
                return 0;
            case "steady":
                await ServerBenchmarks.SteadyAsync(Arg(1, 20), Arg(2, 20)).ConfigureAwait(false);
                return 0;
            case "fan-out":
                var sizes = args.Length > 2 ? args[2].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [50, 200, 500];
                await ServerBenchmarks.FanOutAsync(sizes, Arg(1, 50), args.Contains("secret")).ConfigureAwait(false);
                return 0;
            case "delivery":
                await DeliveryBenchmark.RunAsync(Arg(1, 30)).ConfigureAwait(false);
                return 0;
            case "memory":
                await ServerBenchmarks.MemoryAsync(Arg(1, 100_000), Arg(2, 12)).ConfigureAwait(false);
                return 0;
            case "cluster":
                await ClusterBenchmark.RunAsync(Arg(1, 4), Arg(2, 4)).ConfigureAwait(false);
                return 0;
            case "http":
                await HttpTransportBenchmark.RunAsync(Arg(1, 50), Arg(2, 100)).ConfigureAwait(false);
                return 0;
            default:
                Console.Error.WriteLine("usage: DefenderMcp.Bench shaping [rows] | startup [runs] [r2r] | first-call [runs] | per-call [sessions] | per-call-latency [sessions] [ms,ms,...] | floor [seconds] [tenants] | hunt-result [iterations] | hunt-stages [iterations] | steady [seconds] [tenants] | fan-out [latency-ms] [n,n,...] [secret] | delivery [calls] | memory [rows] [hunts] | http [calls] [sessions] | cluster [sessions-per-replica] [calls-per-session]");
                return 2;
        }
    }
}
