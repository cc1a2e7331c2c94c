using System.Text.Json.Nodes;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// The live-response tier over HTTP names its caller where Defender keeps the request's why: a script run's comment,
/// and a library file's description (the library shows the server's app as the uploader). The built server in
/// <c>--demo</c> with an API key that the callers file gives the live-response tier on contoso.
/// </summary>
public sealed class LiveResponseCallerCommentTests
{
    private const string Victim = "ctso-fin-lt-011.contoso.com";
    private const string Suffix = " (requested by lr-analyst via DefenderMcp)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_script_runs_comment_and_a_library_files_description_name_the_caller()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-lr-comment-").FullName;
        try
        {
            var keys = Path.Combine(home, "api-keys.json");
            var (code, stdout, stderr) = await HttpEmulatorFixture.RunCliAsync(Ct, "keys", "add", "lr-analyst", "--file", keys);
            Assert.True(code == 0, $"keys add exited {code}: {stderr}");
            var callers = Path.Combine(home, "callers.json");
            await File.WriteAllTextAsync(callers, new JsonObject
            {
                ["callers"] = new JsonObject { ["key:lr-analyst"] = new JsonObject { ["tenants"] = new JsonArray("contoso"), ["actions"] = "live_response" } },
            }.ToJsonString(), Ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(callers, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var uploads = Directory.CreateDirectory(Path.Combine(home, "uploads")).FullName;
            await File.WriteAllTextAsync(Path.Combine(uploads, "triage.ps1"), "Get-Process | Select-Object -First 5", Ct);

            await using var server = await HttpServerHost.StartAsync(new Dictionary<string, string>
            {
                ["DEFENDER_MCP_API_KEYS_FILE"] = keys,
                ["DEFENDER_MCP_CALLERS_FILE"] = callers,
                ["DEFENDER_MCP_LIBRARY_UPLOAD_DIR"] = uploads,
                ["XDG_DATA_HOME"] = Path.Combine(home, "data"),
                ["XDG_CACHE_HOME"] = Path.Combine(home, "cache"),
            }, Ct, "--demo");
            await using var client = await ConnectAsync(server.McpUrl, stdout.Trim(), Ct, Eliciting("accept"));

            var run = Structured(await client.CallToolAsync("run_live_response_script", new Dictionary<string, object?> { ["device"] = Victim, ["script"] = "list-services.ps1", ["comment"] = "e2e lr who asked" }, cancellationToken: Ct));
            var described = Structured(await client.CallToolAsync("upload_library_file", new Dictionary<string, object?> { ["path"] = "triage.ps1", ["description"] = "Process triage", ["dry_run"] = true }, cancellationToken: Ct));
            var undescribed = Structured(await client.CallToolAsync("upload_library_file", new Dictionary<string, object?> { ["path"] = "triage.ps1", ["dry_run"] = true }, cancellationToken: Ct));

            Assert.Equal("e2e lr who asked" + Suffix, run.GetProperty("comment").GetString());
            Assert.Equal("Process triage" + Suffix, described.GetProperty("comment").GetString());
            Assert.Equal("Uploaded" + Suffix, undescribed.GetProperty("comment").GetString());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
