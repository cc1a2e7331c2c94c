using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// A live-response script's transcript is cached under a result_id that get_hunting_results, resources/read and
/// completion/complete reach; a caller with the read tier on the same tenant must not read it through them, since only
/// the live_response tier may fetch it from Defender. The built server in <c>--demo</c> over HTTP, with two API keys
/// and a callers file.
/// </summary>
public sealed class TranscriptTierTests
{
    private const string Victim = "ctso-fin-lt-011.contoso.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_read_tier_caller_cannot_read_a_script_transcript_of_its_own_tenant()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-transcript-").FullName;
        try
        {
            var keys = Path.Combine(home, "api-keys.json");
            var responderKey = await AddKeyAsync("responder", keys);
            var readerKey = await AddKeyAsync("reader", keys);
            var callers = Path.Combine(home, "callers.json");
            await File.WriteAllTextAsync(callers, new JsonObject
            {
                ["callers"] = new JsonObject
                {
                    ["key:responder"] = new JsonObject { ["tenants"] = new JsonArray("contoso"), ["actions"] = "live_response" },
                    ["key:reader"] = new JsonObject { ["tenants"] = new JsonArray("contoso"), ["actions"] = "read" },
                },
            }.ToJsonString(), Ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(callers, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var environment = new Dictionary<string, string>
            {
                ["DEFENDER_MCP_API_KEYS_FILE"] = keys,
                ["DEFENDER_MCP_CALLERS_FILE"] = callers,
                ["XDG_DATA_HOME"] = Path.Combine(home, "data"),
                ["XDG_CACHE_HOME"] = Path.Combine(home, "cache"),
            };
            await using var server = await HttpServerHost.StartAsync(environment, Ct, "--demo");
            await using var responder = await ConnectAsync(server.McpUrl, responderKey, Ct, Eliciting("accept"));
            await using var reader = await ConnectAsync(server.McpUrl, readerKey, Ct);

            var run = Structured(await responder.CallToolAsync("run_live_response_script", new Dictionary<string, object?> { ["device"] = Victim, ["script"] = "list-services.ps1", ["comment"] = "e2e transcript tier" }, cancellationToken: Ct));
            var resultId = run.GetProperty("live_response").GetProperty("commands")[0].GetProperty("result_id").GetString()!;
            var hunt = Structured(await reader.CallToolAsync("query_advanced_hunting", new Dictionary<string, object?> { ["query"] = "DeviceInfo | take 2 | project DeviceName" }, cancellationToken: Ct));
            var reference = new ResourceTemplateReference { Uri = "defender://results/{resultId}" };

            var page = await reader.CallToolAsync("get_hunting_results", new Dictionary<string, object?> { ["result_id"] = resultId }, cancellationToken: Ct);
            var resource = await Assert.ThrowsAnyAsync<Exception>(() => reader.ReadResourceAsync($"defender://results/{resultId}", cancellationToken: Ct).AsTask());
            var completed = (await reader.CompleteAsync(reference, "resultId", string.Empty, cancellationToken: Ct)).Completion.Values;
            var own = Structured(await responder.CallToolAsync("get_hunting_results", new Dictionary<string, object?> { ["result_id"] = resultId }, cancellationToken: Ct));
            var responderCompleted = (await responder.CompleteAsync(reference, "resultId", string.Empty, cancellationToken: Ct)).Completion.Values;

            Assert.Equal("not_found", ErrorCode(page));
            Assert.DoesNotContain("list-services", resource.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(resultId, completed);
            Assert.Contains(hunt.GetProperty("result_id").GetString(), completed);
            Assert.True(own.GetProperty("rows").GetArrayLength() > 0);
            Assert.Contains(resultId, responderCompleted);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<string> AddKeyAsync(string name, string file)
    {
        var (code, stdout, stderr) = await HttpEmulatorFixture.RunCliAsync(Ct, "keys", "add", name, "--file", file);
        Assert.True(code == 0, $"keys add exited {code}: {stderr}");
        return stdout.Trim();
    }
}
