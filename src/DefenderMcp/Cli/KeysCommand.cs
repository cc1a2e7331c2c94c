using System.CommandLine;
using DefenderMcp.Hosting.Http;

namespace DefenderMcp.Cli;

/// <summary><c>defender-mcp keys add|list|remove</c>: named API keys for the HTTP transport, stored as SHA-256 hashes.</summary>
public static class KeysCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var file = new Option<string?>("--file") { Description = "The keys file (default DEFENDER_MCP_API_KEYS_FILE, else ~/.config/defender-mcp/api-keys.json)." };
        var name = new Argument<string>("name") { Description = "The caller name (letters, digits, . _ - @; audit lines show it)." };

        var add = new Command("add", "Create a key for NAME, print it once on stdout, and store only its SHA-256 hash.");
        add.Arguments.Add(name);
        add.Options.Add(file);
        add.SetAction(parse => Run(parse.GetValue(file), store =>
        {
            var caller = parse.GetValue(name)!;
            if (!ApiKeyStore.IsValidName(caller))
            {
                Console.Error.WriteLine("defender-mcp keys add: NAME must be 1-64 letters, digits, '.', '_', '-' or '@'.");
                return 2;
            }

            var keys = store.Read();
            if (keys.Any(k => string.Equals(k.Name, caller, StringComparison.Ordinal)))
            {
                Console.Error.WriteLine($"defender-mcp keys add: a key named {caller} exists; remove it first to rotate.");
                return 1;
            }

            var key = ApiKeyStore.NewKey();
            store.Write([.. keys, new ApiKeyEntry(caller, ApiKeyStore.Hash(key), DateTimeOffset.UtcNow)]);
            Console.Error.WriteLine($"Key for {caller} stored (hash only) in {store.Path}. It is shown once; keep it in a secret store:");
            Console.WriteLine(key);
            return 0;
        }));

        var list = new Command("list", "List the key names and when they were made (never the keys).");
        list.Options.Add(file);
        list.SetAction(parse => Run(parse.GetValue(file), store =>
        {
            var keys = store.Read();
            if (keys.Count == 0)
            {
                // Silence would leave the user guessing which file was read.
                Console.Error.WriteLine($"No API keys in {store.Path}; 'defender-mcp keys add NAME' makes one.");
            }

            foreach (var key in keys)
            {
                Console.WriteLine($"{key.Name,-32} created {key.Created.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
            }

            return 0;
        }));

        var remove = new Command("remove", "Remove the key of NAME; a running server stops accepting it within seconds.");
        remove.Arguments.Add(name);
        remove.Options.Add(file);
        remove.SetAction(parse => Run(parse.GetValue(file), store =>
        {
            var caller = parse.GetValue(name)!;
            var keys = store.Read();
            if (!keys.Any(k => string.Equals(k.Name, caller, StringComparison.Ordinal)))
            {
                Console.Error.WriteLine($"defender-mcp keys remove: no key named {caller}.");
                return 1;
            }

            store.Write([.. keys.Where(k => !string.Equals(k.Name, caller, StringComparison.Ordinal))]);
            Console.Error.WriteLine($"Key {caller} removed.");
            return 0;
        }));

        var command = new Command("keys", "API keys for the HTTP transport (see docs/deployment.md).");
        command.Subcommands.Add(add);
        command.Subcommands.Add(list);
        command.Subcommands.Add(remove);
        return command;
    }

    private static int Run(string? file, Func<ApiKeyStore, int> action)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DEFENDER_MCP_API_KEYS_FILE");
        var path = file ?? (string.IsNullOrWhiteSpace(fromEnvironment) ? ApiKeyStore.DefaultPath : fromEnvironment.Trim());
        if (File.Exists(path) && Configuration.SecureFile.Check(path, "keys file") is { } problem)
        {
            Console.Error.WriteLine("defender-mcp keys: " + problem);
            return 2;
        }

        try
        {
            return action(new ApiKeyStore(path));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"defender-mcp keys: {path}: {ex.Message}");
            return 2;
        }
    }
}
