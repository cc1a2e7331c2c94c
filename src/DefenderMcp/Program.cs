using DefenderMcp.Cli;

return await CommandLineApp.RunAsync(args, CancellationToken.None).ConfigureAwait(false);
