using System.CommandLine;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp [serve]</c>: serve MCP over stdio (default) or Streamable HTTP.</summary>
public static class ServeCommand
{
    private static readonly Option<string> Transport = new("--transport")
    {
        Description = "Transport: stdio (default) or http (Streamable HTTP at /mcp; see docs/deployment.md).",
        DefaultValueFactory = _ => "stdio",
    };

    private static readonly Option<string?> Urls = new("--urls")
    {
        Description = "HTTP: where to listen, e.g. http://127.0.0.1:8080 (';'-separated; default DEFENDER_MCP_HTTP_URLS or http://127.0.0.1:8080).",
    };

    private static readonly Option<bool> AllowAnonymousLoopback = new("--allow-anonymous-loopback")
    {
        Description = "HTTP: serve without caller authentication when no API key is configured. Only on loopback addresses.",
    };

    private static readonly Option<string?> ApiKeysFile = new("--api-keys-file")
    {
        Description = "HTTP: the API keys file (default DEFENDER_MCP_API_KEYS_FILE, else the file 'defender-mcp keys add' writes).",
    };

    /// <summary>The <c>serve</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("serve", "Serve MCP over stdio (the default command) or Streamable HTTP.");
        Configure(command);
        return command;
    }

    /// <summary>Adds the serve options and action to <paramref name="command"/> (also used on the root).</summary>
    public static void Configure(Command command)
    {
        command.Options.Add(CommonOptions.Demo);
        command.Options.Add(CommonOptions.ReadOnly);
        command.Options.Add(CommonOptions.Toolsets);
        command.Options.Add(Transport);
        command.Options.Add(Urls);
        command.Options.Add(AllowAnonymousLoopback);
        command.Options.Add(ApiKeysFile);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var transport = parse.GetValue(Transport);
            var http = string.Equals(transport, "http", StringComparison.OrdinalIgnoreCase);
            if (!http && !string.Equals(transport, "stdio", StringComparison.OrdinalIgnoreCase))
            {
                await Console.Error.WriteLineAsync("defender-mcp: --transport must be stdio or http.").ConfigureAwait(false);
                return 2;
            }

            HttpServerOptions? httpOptions = null;
            if (http)
            {
                httpOptions = await ReadHttpOptionsAsync(parse).ConfigureAwait(false);
                if (httpOptions is null)
                {
                    return 2;
                }
            }

            // Over stdio the certificate files are opened beside the host's construction; over HTTP before it.
            await using var session = await ServerSession.CreateAsync(parse.GetValue(CommonOptions.Demo), parse.GetValue(CommonOptions.ReadOnly), cancellationToken, parse.GetValue(CommonOptions.Toolsets), deferCredentialChecks: !http).ConfigureAwait(false);
            if (session is null)
            {
                return 2;
            }

            if (httpOptions is null)
            {
                return await session.RunAsync(
                    async stop =>
                    {
                        var served = await StdioServerRunner.RunAsync(session.Settings, session.Notes, stop, session.CredentialsUsableAsync).ConfigureAwait(false);
                        return served ? 0 : 2;
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            // --demo over HTTP without keys or anonymous loopback: a key for this run only, shown once on stderr.
            string? demoKey = null;
            if (session.Settings.IsDemo && httpOptions.ApiKeysFile is null && !httpOptions.AllowAnonymousLoopback)
            {
                demoKey = ApiKeyStore.NewKey();
                await Console.Error.WriteLineAsync($"Demo API key for this run (send it as 'Authorization: Bearer <key>'): {demoKey}").ConfigureAwait(false);
            }

            return await session.RunAsync(stop => HttpServerRunner.RunAsync(session.Settings, session.Notes, httpOptions, demoKey, stop), cancellationToken).ConfigureAwait(false);
        });
    }

    private static async Task<HttpServerOptions?> ReadHttpOptionsAsync(ParseResult parse)
    {
        var problems = new List<string>();
        var environment = EnvironmentSource.FromProcess(Directory.GetCurrentDirectory(), problems);
        var options = HttpServerOptions.FromEnvironment(environment, problems);
        if (parse.GetValue(Urls) is { } urls)
        {
            options = options with { Urls = ListenAddress.ParseList(urls, problems) };
        }

        if (parse.GetValue(ApiKeysFile) is { } keysFile)
        {
            options = options with { ApiKeysFile = keysFile };
        }

        if (parse.GetValue(AllowAnonymousLoopback))
        {
            options = options with { AllowAnonymousLoopback = true };
        }

        if (problems.Count == 0)
        {
            return options;
        }

        await Console.Error.WriteLineAsync("defender-mcp: invalid HTTP settings:").ConfigureAwait(false);
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync("  - " + problem).ConfigureAwait(false);
        }

        return null;
    }
}
