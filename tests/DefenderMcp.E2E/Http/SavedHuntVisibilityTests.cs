using System.Text.Json;
using ModelContextProtocol.Protocol;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// Saved-hunt files may name a customer's tenants. Over HTTP with a callers file, a caller sees only the hunts that name
/// no tenant or only its own; one outside its tenants is answered like a hunt that does not exist (tools, the
/// <c>defender://hunts/</c> resource, completion), so its name does not leak. A caller with both tenants sees all.
/// </summary>
public sealed class SavedHuntVisibilityTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_caller_sees_and_runs_only_hunts_within_its_tenants_and_others_read_as_unknown()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-hunt-visibility-").FullName;
        try
        {
            var hunts = Directory.CreateDirectory(Path.Combine(home, "hunts")).FullName;
            WriteHunt(hunts, "anywhere", null);
            WriteHunt(hunts, "contoso-watch", "contoso");
            WriteHunt(hunts, "fabrikam-ransom", "fabrikam");
            WriteHunt(hunts, "both-tenants", "contoso, fabrikam");
            await File.WriteAllTextAsync(Path.Combine(hunts, "fabrikam-broken.kql"), "// name: fabrikam-broken\nDeviceInfo | take 1\n", Ct);
            var env = await TeamServerEnvironment.CreateAsync(fixture, home, new Dictionary<string, string[]> { ["alice"] = ["contoso", "fabrikam"], ["bob"] = ["contoso"] }, Ct);
            env["DEFENDER_MCP_HUNTS_DIR"] = hunts;
            await using var server = await HttpServerHost.StartAsync(env, Ct);
            await using var bob = await ConnectAsync(server.McpUrl, fixture.Keys["bob"], Ct);
            await using var alice = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct);

            var bobList = Structured(await bob.CallToolAsync("list_saved_hunts", new Dictionary<string, object?>(), cancellationToken: Ct));
            var aliceList = Structured(await alice.CallToolAsync("list_saved_hunts", new Dictionary<string, object?>(), cancellationToken: Ct));

            Assert.Equal(["anywhere", "contoso-watch"], Names(bobList));
            Assert.Equal(["anywhere", "both-tenants", "contoso-watch", "fabrikam-ransom"], Names(aliceList));
            Assert.DoesNotContain("fabrikam", bobList.GetRawText(), StringComparison.Ordinal);
            Assert.Contains("1 saved hunt files could not be loaded", bobList.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);

            // Outside bob's tenants, every saved-hunt tool answers exactly as for a name that does not exist.
            foreach (var tool in new[] { "run_saved_hunt", "get_hunt_results", "schedule_hunt", "unschedule_hunt" })
            {
                var hidden = await bob.CallToolAsync(tool, Named(tool, "fabrikam-ransom"), cancellationToken: Ct);
                var unknown = await bob.CallToolAsync(tool, Named(tool, "no-such-hunt"), cancellationToken: Ct);
                var mixed = await bob.CallToolAsync(tool, Named(tool, "both-tenants"), cancellationToken: Ct);

                Assert.Equal("not_found", ErrorCode(hidden));
                Assert.Equal(Text(unknown), Text(hidden));
                Assert.Equal(Text(unknown), Text(mixed));
                Assert.DoesNotContain("fabrikam", Text(hidden), StringComparison.Ordinal);
            }

            var own = Structured(await bob.CallToolAsync("run_saved_hunt", Named("run_saved_hunt", "contoso-watch"), cancellationToken: Ct));
            var theirs = Structured(await alice.CallToolAsync("run_saved_hunt", Named("run_saved_hunt", "fabrikam-ransom"), cancellationToken: Ct));
            Assert.Equal(2, own.GetProperty("row_count").GetInt32());
            Assert.Equal(2, theirs.GetProperty("row_count").GetInt32());

            // The resource and completion agree with the tools.
            var hiddenResource = await Assert.ThrowsAnyAsync<Exception>(() => bob.ReadResourceAsync("defender://hunts/fabrikam-ransom", cancellationToken: Ct).AsTask());
            var unknownResource = await Assert.ThrowsAnyAsync<Exception>(() => bob.ReadResourceAsync("defender://hunts/no-such-hunt", cancellationToken: Ct).AsTask());
            Assert.Equal(unknownResource.Message, hiddenResource.Message);
            var aliceResource = await alice.ReadResourceAsync("defender://hunts/fabrikam-ransom", cancellationToken: Ct);
            Assert.Contains("fabrikam-ransom", Assert.IsType<TextResourceContents>(Assert.Single(aliceResource.Contents)).Text, StringComparison.Ordinal);
            var reference = new ResourceTemplateReference { Uri = "defender://hunts/{name}" };
            Assert.Equal(["anywhere", "contoso-watch"], (await bob.CompleteAsync(reference, "name", string.Empty, cancellationToken: Ct)).Completion.Values.Order(StringComparer.Ordinal));
            Assert.Contains("fabrikam-ransom", (await alice.CompleteAsync(reference, "name", string.Empty, cancellationToken: Ct)).Completion.Values);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static Dictionary<string, object?> Named(string tool, string name) =>
        tool == "schedule_hunt" ? new() { ["name"] = name, ["every"] = "PT1H" } : new() { ["name"] = name };

    private static List<string> Names(JsonElement list) =>
        [.. list.GetProperty("hunts").EnumerateArray().Select(h => h.GetProperty("name").GetString()!)];

    private static string Text(CallToolResult result) => string.Join(' ', result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private static void WriteHunt(string folder, string name, string? tenants)
    {
        var header = $"// name: {name}\n// description: Two devices, for the visibility test.\n// timespan: P1D\n" + (tenants is null ? string.Empty : $"// tenants: {tenants}\n");
        File.WriteAllText(Path.Combine(folder, name + ".kql"), header + "DeviceInfo | take 2 | project DeviceName\n");
    }
}
