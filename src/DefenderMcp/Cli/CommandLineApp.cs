using System.CommandLine;

namespace DefenderMcp.Cli;

/// <summary>Entry point of the <c>defender-mcp</c> command line.</summary>
public static class CommandLineApp
{
    /// <summary>Parses <paramref name="args"/> and runs the chosen command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        // Before anything else: the server's serializer contracts build on another core while this thread parses.
        Hosting.StartupPrefetch.StartFor(args);
        // Named as the installed command, not after the executable (RootCommand would print "Usage: DefenderMcp"), so
        // the help shows what to type; help and version are the options RootCommand would have added.
        var version = new VersionOption();
        var root = new Command("defender-mcp", "DefenderMcp: an MCP server for Microsoft Defender XDR and Defender for Endpoint.")
        {
            Options = { new System.CommandLine.Help.HelpOption(), version },
        };
        ServeCommand.Configure(root);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(EmulatorCommand.Create());
        root.Subcommands.Add(ToolsCommand.Create());
        root.Subcommands.Add(CallCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        var parse = root.Parse(args);
        // Help and parse errors go to stderr: in stdio mode stdout belongs to MCP frames. --version runs no session, and
        // goes to stdout so that v=$(defender-mcp --version) captures it.
        var output = parse.Errors.Count == 0 && ReferenceEquals(parse.Action, version.Action) ? Console.Out : Console.Error;
        var exitCode = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = Console.Error }, cancellationToken).ConfigureAwait(false);

        // A mistyped command line exits 2 like any other usage or configuration error: 1 means a problem found (doctor)
        // or a failed tool (call), which a script must be able to tell apart from a typo.
        return parse.Errors.Count > 0 ? 2 : exitCode;
    }
}
