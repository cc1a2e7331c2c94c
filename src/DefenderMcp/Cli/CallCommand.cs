using System.CommandLine;
using System.Text.Json;
using DefenderMcp.Hosting;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp call TOOL --arg k=v ... [--json '{...}']</c>: one tool call through the real MCP path; JSON on stdout.</summary>
public static class CallCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var tool = new Argument<string>("tool") { Description = "The tool name, e.g. query_advanced_hunting." };
        var args = new Option<string[]>("--arg") { Description = "An argument as name=value; the value is read as JSON when it can be (\"High\" is High, 5 a number, [\"a\",\"b\"] a list), else as the text typed. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var json = new Option<string?>("--json") { Description = "All arguments as one JSON object." };
        var token = new Option<string?>("--confirmation-token") { Description = "The token a preview returned (DEFENDER_CONFIRMATION=token): sends the confirmed write." };
        var command = new Command("call", "Call one tool and print its JSON result on stdout (for scripts and quick checks).");
        command.Arguments.Add(tool);
        command.Options.Add(args);
        command.Options.Add(json);
        command.Options.Add(token);
        command.Options.Add(CommonOptions.Demo);
        command.Options.Add(CommonOptions.ReadOnly);
        command.SetAction(async (parse, cancellationToken) =>
        {
            Dictionary<string, object?> arguments;
            try
            {
                arguments = ParseArguments(parse.GetValue(json), parse.GetValue(args) ?? []);
                if (parse.GetValue(token) is { Length: > 0 } confirmation)
                {
                    arguments["confirmation_token"] = confirmation;
                }
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync("defender-mcp call: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            await using var session = await ServerSession.CreateAsync(parse.GetValue(CommonOptions.Demo), parse.GetValue(CommonOptions.ReadOnly), cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return 2;
            }

            return await RunAsync(session, parse.GetValue(tool)!, arguments, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// Calls the tool within <paramref name="session"/> and prints its result on <paramref name="output"/>: exit 0, 1 when
    /// the result is an error, 2 when no such tool is available. In demo mode the call runs under the session's watch of
    /// the emulator, so an emulator that cannot start is reported as that (stderr, exit 1) and no result is printed.
    /// </summary>
    internal static Task<int> RunAsync(ServerSession session, string name, Dictionary<string, object?> arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // One process per call: a preview's token must be redeemable by the next process, so key and spent tokens are shared.
        // One call pays nothing for the size of tools/list, so every toolset is available (the tier still decides).
        // The process ends with the call, so a tool that would start background work (schedule_hunt) only stores it.
        var settings = session.Settings with { SharedTokenFolder = SharedTokenFolderFor(session.Settings.IsDemo), Toolsets = ToolCatalog.ToolsetNames.ToHashSet(StringComparer.Ordinal), SingleCall = true };
        return session.RunAsync(
            async stop =>
            {
                // stderr keeps to the call's own lines, plus the token folder's warnings (a damaged key replaced): the user's own state.
                using var logging = LoggerFactory.Create(b => b
                    .AddProvider(new ServerConsoleLoggerProvider(error))
                    .AddFilter((category, level) => level >= LogLevel.Warning && string.Equals(category, typeof(SharedTokenFolder).FullName, StringComparison.Ordinal)));
                await using var connection = await InMemoryServerConnection.StartAsync(settings, error, null, logging, stop).ConfigureAwait(false);
                var tools = await connection.Client.ListToolsAsync(cancellationToken: stop).ConfigureAwait(false);
                if (!tools.Any(t => string.Equals(t.Name, name, StringComparison.Ordinal)))
                {
                    var shown = name.Length > 64 ? name[..64] + "…" : name;
                    var hints = ToolNameHints.For(name, tools.Select(t => t.Name));
                    var hint = hints.Count == 0 ? string.Empty : $" Did you mean {string.Join(" or ", hints)}?";
                    return new CallOutcome(2, null, $"defender-mcp call: no tool '{shown}' is available (unknown, or hidden by the tenants' policy); 'defender-mcp tools' lists them.{hint}");
                }

                var result = await connection.Client.CallToolAsync(name, arguments, cancellationToken: stop).ConfigureAwait(false);
                var text = result.StructuredContent is { } structured
                    ? JsonSerializer.Serialize(structured, ToolJson.Options)
                    : string.Join("\n", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text));
                return new CallOutcome(result.IsError == true ? 1 : 0, text, null);
            },
            outcome =>
            {
                if (outcome.Problem is not null)
                {
                    error.WriteLine(outcome.Problem);
                }

                if (outcome.Output is not null)
                {
                    output.WriteLine(outcome.Output);
                }

                return outcome.Code;
            },
            cancellationToken);
    }

    /// <summary>The state folder's <c>tokens</c> (DEFENDER_MCP_STATE_DIR), or in demo mode the user's cache folder.</summary>
    private static string? SharedTokenFolderFor(bool demo)
    {
        if (Environment.GetEnvironmentVariable("DEFENDER_MCP_STATE_DIR") is { Length: > 0 } state)
        {
            return Path.Combine(state, "tokens");
        }

        if (!demo)
        {
            return null;
        }

        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "defender-mcp", "demo-tokens");
    }

    // What a call printed, held until the session knows the demo emulator did not fail.
    private sealed record CallOutcome(int Code, string? Output, string? Problem);

    /// <summary>The call's arguments from <c>--json</c> and the <c>--arg name=value</c> pairs (a pair wins over the same name in --json).</summary>
    internal static Dictionary<string, object?> ParseArguments(string? json, IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (json is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("--json must be a JSON object.");
                }

                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    result[property.Name] = property.Value.Clone();
                }
            }
            catch (JsonException)
            {
                throw new FormatException("--json is not valid JSON.");
            }
        }

        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("--arg must be name=value, e.g. --arg severity=High (docs/tools.md lists each tool's parameters).");
            }

            var value = pair[(equals + 1)..];
            object? parsed = value;
            try
            {
                // As --help says: a JSON string is its text (tenant="fabrikam" is fabrikam, not "fabrikam" with its
                // quotes), and an object, array, number, boolean or null is sent as that JSON value.
                using var doc = JsonDocument.Parse(value);
                parsed = doc.RootElement.ValueKind == JsonValueKind.String ? doc.RootElement.GetString() : doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not JSON: a plain string, as typed.
            }

            result[pair[..equals]] = parsed;
        }

        return result;
    }
}
