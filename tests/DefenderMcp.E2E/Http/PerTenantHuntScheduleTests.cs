using System.Text.Json;
using ModelContextProtocol.Protocol;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// On a team server, a saved hunt's schedule is per (hunt, tenant): two callers on different tenants each schedule the
/// same hunt, each keeps running, each sees and stops only its own, and nothing answers differently because the other
/// caller scheduled it. Both schedules survive a restart on the state folder.
/// </summary>
public sealed class PerTenantHuntScheduleTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_callers_schedule_the_same_hunt_on_their_own_tenants_and_see_and_stop_only_their_own()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-hunt-per-tenant-").FullName;
        try
        {
            var hunts = Directory.CreateDirectory(Path.Combine(home, "hunts")).FullName;
            await File.WriteAllTextAsync(Path.Combine(hunts, "anywhere.kql"), "// name: anywhere\n// description: Two devices.\n// timespan: P1D\nDeviceInfo | take 2 | project DeviceName\n", Ct);
            await File.WriteAllTextAsync(Path.Combine(hunts, "untouched.kql"), "// name: untouched\n// description: Never scheduled.\n// timespan: P1D\nDeviceInfo | take 1\n", Ct);
            var env = await TeamServerEnvironment.CreateAsync(fixture, home, new Dictionary<string, string[]> { ["alice"] = ["contoso"], ["bob"] = ["fabrikam"] }, Ct);
            env["DEFENDER_MCP_HUNTS_DIR"] = hunts;
            env["DEFENDER_MCP_STATE_DIR"] = Path.Combine(home, "state");

            await using (var server = await HttpServerHost.StartAsync(env, Ct))
            {
                await using var alice = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct);
                await using var bob = await ConnectAsync(server.McpUrl, fixture.Keys["bob"], Ct);

                // Before anything is scheduled: bob's answers for the hunt alice will schedule, to compare with later.
                var bobBefore = await bob.CallToolAsync("unschedule_hunt", new Dictionary<string, object?> { ["name"] = "anywhere" }, cancellationToken: Ct);
                Assert.False(bobBefore.IsError is true, Text(bobBefore));

                var aliceScheduled = await alice.CallToolAsync("schedule_hunt", Schedule("anywhere", "contoso"), cancellationToken: Ct);
                Assert.False(aliceScheduled.IsError is true, Text(aliceScheduled));

                // Alice's schedule is invisible to bob: get_hunt_results and unschedule_hunt answer as for a hunt never scheduled.
                var bobResults = Structured(await bob.CallToolAsync("get_hunt_results", Named("anywhere"), cancellationToken: Ct));
                var bobUntouched = Structured(await bob.CallToolAsync("get_hunt_results", Named("untouched"), cancellationToken: Ct));
                Assert.Equal(JsonValueKind.Null, bobResults.GetProperty("schedule").ValueKind);
                Assert.Equal(bobUntouched.GetProperty("run_in_progress").ToString(), bobResults.GetProperty("run_in_progress").ToString());
                var bobStop = await bob.CallToolAsync("unschedule_hunt", Named("anywhere"), cancellationToken: Ct);
                Assert.False(bobStop.IsError is true, Text(bobStop));
                Assert.Equal(Text(bobBefore), Text(bobStop));

                // Bob schedules the same hunt on his tenant: allowed, and alice's schedule runs on.
                var bobScheduled = await bob.CallToolAsync("schedule_hunt", Schedule("anywhere", "fabrikam"), cancellationToken: Ct);
                Assert.False(bobScheduled.IsError is true, Text(bobScheduled));
                Assert.DoesNotContain("contoso", Text(bobScheduled), StringComparison.Ordinal);

                var aliceRuns = await RunsAsync(alice, "contoso");
                var bobRuns = await RunsAsync(bob, "fabrikam");
                Assert.All(aliceRuns.GetProperty("runs").EnumerateArray(), r => Assert.Equal("contoso", r.GetProperty("tenant").GetString()));
                Assert.All(bobRuns.GetProperty("runs").EnumerateArray(), r => Assert.Equal("fabrikam", r.GetProperty("tenant").GetString()));
                Assert.NotEqual(JsonValueKind.Null, aliceRuns.GetProperty("schedule").ValueKind);
                Assert.NotEqual(JsonValueKind.Null, bobRuns.GetProperty("schedule").ValueKind);

                // Bob stops his own schedule only.
                var bobStopped = await bob.CallToolAsync("unschedule_hunt", Named("anywhere"), cancellationToken: Ct);
                Assert.False(bobStopped.IsError is true, Text(bobStopped));
                Assert.Contains("no longer scheduled", Text(bobStopped), StringComparison.Ordinal);
                Assert.Equal(JsonValueKind.Null, Structured(await bob.CallToolAsync("get_hunt_results", Named("anywhere"), cancellationToken: Ct)).GetProperty("schedule").ValueKind);
                Assert.NotEqual(JsonValueKind.Null, Structured(await alice.CallToolAsync("get_hunt_results", Named("anywhere"), cancellationToken: Ct)).GetProperty("schedule").ValueKind);

                // Bob schedules again, for the restart below.
                Assert.False((await bob.CallToolAsync("schedule_hunt", Schedule("anywhere", "fabrikam"), cancellationToken: Ct)).IsError is true);
            }

            // A restart on the same state folder keeps both schedules.
            await using (var server = await HttpServerHost.StartAsync(env, Ct))
            {
                await using var alice = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct);
                await using var bob = await ConnectAsync(server.McpUrl, fixture.Keys["bob"], Ct);
                Assert.NotEqual(JsonValueKind.Null, Structured(await alice.CallToolAsync("get_hunt_results", Named("anywhere"), cancellationToken: Ct)).GetProperty("schedule").ValueKind);
                Assert.NotEqual(JsonValueKind.Null, Structured(await bob.CallToolAsync("get_hunt_results", Named("anywhere"), cancellationToken: Ct)).GetProperty("schedule").ValueKind);
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    // Polls until the caller sees at least one run of 'anywhere' on its tenant.
    private static async Task<JsonElement> RunsAsync(ModelContextProtocol.Client.McpClient client, string tenant)
    {
        for (var attempt = 0; ; attempt++)
        {
            var results = Structured(await client.CallToolAsync("get_hunt_results", Named("anywhere"), cancellationToken: Ct));
            if (results.GetProperty("runs").EnumerateArray().Any(r => r.GetProperty("tenant").GetString() == tenant) || attempt >= 100)
            {
                Assert.Contains(results.GetProperty("runs").EnumerateArray(), r => r.GetProperty("tenant").GetString() == tenant);
                return results;
            }

            await Task.Delay(200, Ct);
        }
    }

    private static Dictionary<string, object?> Named(string name) => new() { ["name"] = name };

    private static Dictionary<string, object?> Schedule(string name, string tenant) => new() { ["name"] = name, ["every"] = "PT1H", ["tenant"] = tenant };

    private static string Text(CallToolResult result) => string.Join(' ', result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
