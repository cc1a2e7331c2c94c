using System.CommandLine;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp tools</c>: lists the tools this configuration exposes.</summary>
public static class ToolsCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("tools", "List the tools this configuration exposes, with their tier and annotations.");
        command.Options.Add(CommonOptions.Demo);
        command.Options.Add(CommonOptions.ReadOnly);
        command.Options.Add(CommonOptions.Toolsets);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await ServerSession.CreateAsync(parse.GetValue(CommonOptions.Demo), parse.GetValue(CommonOptions.ReadOnly), cancellationToken, parse.GetValue(CommonOptions.Toolsets)).ConfigureAwait(false);
            if (session is null)
            {
                return 2;
            }

            foreach (var (definition, _) in ToolCatalog.Visible(session.Settings))
            {
                var hints = $"{(definition.ReadOnly ? "read-only" : "write")}{(definition.Destructive ? ", destructive" : string.Empty)}";
                Console.WriteLine($"{definition.Name,-32} {definition.Tier.ConfigName(),-13} {hints}");
            }

            return 0;
        });
        return command;
    }
}
