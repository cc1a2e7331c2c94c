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
            var uploads = Directory.CreateDirectory(Path.Combine(home, "uploads")).FullName;
            await File.WriteAllTextAsync(Path.Combine(uploads, "triage.ps1"), "Get-Process | Select-Object -First 5", Ct);
            var (started, keys) = await DemoTeamServer.StartAsync(home, new Dictionary<string, string> { ["lr-analyst"] = "live_response" }, new Dictionary<string, string> { ["DEFENDER_MCP_LIBRARY_UPLOAD_DIR"] = uploads }, Ct);
            await using var server = started;
            await using var client = await ConnectAsync(server.McpUrl, keys["lr-analyst"], Ct, Eliciting("accept"));

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
