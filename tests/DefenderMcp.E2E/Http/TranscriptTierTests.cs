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
            var (started, keys) = await DemoTeamServer.StartAsync(home, new Dictionary<string, string> { ["responder"] = "live_response", ["reader"] = "read" }, null, Ct);
            await using var server = started;
            var (responderKey, readerKey) = (keys["responder"], keys["reader"]);
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
}
