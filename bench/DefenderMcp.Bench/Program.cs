using DefenderMcp.Bench;

return await BenchmarkRunner.RunAsync(args).ConfigureAwait(false);
