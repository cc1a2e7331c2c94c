namespace DefenderMcp.Cli;

/// <summary>Entry point of the <c>defender-mcp</c> command line.</summary>
public static class CommandLineApp
{
    /// <summary>Parses <paramref name="args"/> and runs the chosen command; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(args.Length == 0 ? 0 : 2);
    }
}
