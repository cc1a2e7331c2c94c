namespace DefenderMcp.Bench;

/// <summary>Runs the named benchmark and prints a Markdown table for docs/benchmarks.md.</summary>
internal static class BenchmarkRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var name = args.FirstOrDefault() ?? "help";
        switch (name)
        {
            case "shaping":
                var rows = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 100_000;
                await ShapingBenchmark.RunAsync(rows).ConfigureAwait(false);
                return 0;
            case "http":
                var calls = args.Length > 1 && int.TryParse(args[1], out var c) ? c : 50;
                var sessions = args.Length > 2 && int.TryParse(args[2], out var s) ? s : 100;
                await HttpTransportBenchmark.RunAsync(calls, sessions).ConfigureAwait(false);
                return 0;
            default:
                Console.Error.WriteLine("usage: DefenderMcp.Bench shaping [rows] | http [calls] [sessions]");
                return 2;
        }
    }
}
