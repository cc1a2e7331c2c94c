using System.Text.Json.Nodes;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// The built server in <c>--demo</c> over HTTP as a team runs it, in a folder of the test's own: one API key per
/// caller (made by <c>keys add</c>), a callers file (mode 0600) giving each caller its tier on contoso, and the demo's
/// data and cache under the folder.
/// </summary>
internal static class DemoTeamServer
{
    /// <summary>Starts the server; returns it and each caller's key by name.</summary>
    public static async Task<(HttpServerHost Server, IReadOnlyDictionary<string, string> Keys)> StartAsync(
        string home, IReadOnlyDictionary<string, string> tierByCaller, IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        var keysFile = Path.Combine(home, "api-keys.json");
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var rules = new JsonObject();
        foreach (var (caller, tier) in tierByCaller)
        {
            var (code, stdout, stderr) = await HttpEmulatorFixture.RunCliAsync(ct, "keys", "add", caller, "--file", keysFile);
            Assert.True(code == 0, $"keys add exited {code}: {stderr}");
            keys[caller] = stdout.Trim();
            rules["key:" + caller] = new JsonObject { ["tenants"] = new JsonArray("contoso"), ["actions"] = tier };
        }

        var callers = Path.Combine(home, "callers.json");
        await File.WriteAllTextAsync(callers, new JsonObject { ["callers"] = rules }.ToJsonString(), ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(callers, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["DEFENDER_MCP_API_KEYS_FILE"] = keysFile,
            ["DEFENDER_MCP_CALLERS_FILE"] = callers,
            ["XDG_DATA_HOME"] = Path.Combine(home, "data"),
            ["XDG_CACHE_HOME"] = Path.Combine(home, "cache"),
        };
        return (await HttpServerHost.StartAsync(env, ct, "--demo"), keys);
    }
}
