using System.Net;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// The running server's keys file changing: each reload is logged with the key names, and a file it cannot read is a
/// warning, because the keys read before stay in use (a key removed by hand in a file left broken still worked, and
/// nothing said so). (The callers file reloads too: CallersFileReloadTests.)
/// </summary>
public sealed class ApiKeysReloadTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reload_is_logged_and_a_broken_file_is_a_warning_that_the_old_keys_stay_in_use()
    {
        var folder = Path.Combine(Path.GetTempPath(), "defender-mcp-keys-reload-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "api-keys.json");
            var ops = await AddAsync(file, "ops");
            await using var server = await HttpServerHost.StartAsync(fixture.Environment(
                ("DEFENDER_MCP_API_KEYS_FILE", file),
                ("MCP_DEFENDER_XDR_LOG_LEVEL", "Information")), Ct);

            var carol = await AddAsync(file, "carol");
            Assert.True(await AcceptedWithinAsync(server, carol), "the added key was not accepted");
            Assert.Contains(server.Stderr, l => l.Contains($"API keys file {file} reloaded: 2 keys (ops, carol).", StringComparison.Ordinal));

            await File.WriteAllTextAsync(file, "{ \"keys\": [ broken", Ct);
            string? warning = null;
            for (var i = 0; i < 60 && warning is null; i++)
            {
                Assert.True(await AcceptedWithinAsync(server, ops), "a key read before the file broke was refused");
                warning = server.Stderr.FirstOrDefault(l => l.StartsWith("warn: DefenderMcp.Http.ApiKeys", StringComparison.Ordinal));
                await Task.Delay(100, Ct);
            }

            Assert.NotNull(warning);
            Assert.Contains($"API keys file {file} cannot be read (not valid JSON); the 2 keys read before stay in use, a removed one included", warning, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Stderr, l => l.Contains(ops, StringComparison.Ordinal) || l.Contains(carol, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> AddAsync(string file, string name)
    {
        var (code, stdout, stderr) = await HttpEmulatorFixture.RunCliAsync(Ct, "keys", "add", name, "--file", file);
        Assert.True(code == 0, $"keys add {name} exited {code}: {stderr}");
        return stdout.Trim();
    }

    // A request for no session is answered 404 once the key authenticates, 401 before; the file is re-read within 2 s.
    private static async Task<bool> AcceptedWithinAsync(HttpServerHost server, string key)
    {
        for (var i = 0; i < 50; i++)
        {
            using var response = await HttpClients.PostAsync(server.McpUrl, key, Ct, """{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => r.Headers.Add("Mcp-Session-Id", "no-such-session"));
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return true;
            }

            await Task.Delay(200, Ct);
        }

        return false;
    }
}
