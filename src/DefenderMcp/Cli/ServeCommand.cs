using System.CommandLine;
using DefenderMcp.Hosting;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp [serve]</c>: serve MCP over stdio.</summary>
public static class ServeCommand
{
    private static readonly Option<string> Transport = new("--transport")
    {
        Description = "Transport: stdio (default).",
        DefaultValueFactory = _ => "stdio",
    };

    /// <summary>The <c>serve</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("serve", "Serve MCP over stdio (the default command).");
        Configure(command);
        return command;
    }

    /// <summary>Adds the serve options and action to <paramref name="command"/> (also used on the root).</summary>
    public static void Configure(Command command)
    {
        command.Options.Add(CommonOptions.Demo);
        command.Options.Add(CommonOptions.ReadOnly);
        command.Options.Add(Transport);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var transport = parse.GetValue(Transport);
            if (!string.Equals(transport, "stdio", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync("defender-mcp: only --transport stdio is available in this version.").ConfigureAwait(false);
                return 2;
            }

            await using var session = await ServerSession.CreateAsync(parse.GetValue(CommonOptions.Demo), parse.GetValue(CommonOptions.ReadOnly), cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return 2;
            }

            await StdioServerRunner.RunAsync(session.Settings, session.Notes, cancellationToken).ConfigureAwait(false);
            return 0;
        });
    }
}
