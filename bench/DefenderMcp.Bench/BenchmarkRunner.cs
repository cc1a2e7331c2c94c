namespace DefenderMcp.Bench;

/// <summary>Runs the named benchmarks and prints a Markdown table for docs/benchmarks.md.</summary>
internal static class BenchmarkRunner
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("usage: DefenderMcp.Bench <benchmark>  (no benchmarks yet)");
        return Task.FromResult(args.Length == 0 ? 2 : 2);
    }
}
