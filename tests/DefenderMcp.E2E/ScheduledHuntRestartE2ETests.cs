using System.Text.Json;
using DefenderMcp.Emulator;
using ModelContextProtocol.Client;

namespace DefenderMcp.E2E;

/// <summary>
/// The built server over stdio, configured from the environment like a real deployment (one tenant of an in-process
/// emulator, DEFENDER_MCP_STATE_DIR): a schedule made by one process is resumed by the next.
/// </summary>
public sealed class ScheduledHuntRestartE2ETests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_schedule_made_over_stdio_is_resumed_by_the_next_server_process()
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), Ct);
        var tenant = emulator.Tenants.First();
        var state = Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-state-" + Guid.NewGuid().ToString("N"));
        var env = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        env["AZURE_TENANT_ID"] = tenant.TenantId;
        env["AZURE_CLIENT_ID"] = tenant.App.ClientId;
        env["AZURE_CERT_PATH"] = tenant.App.CertificatePfxPath;
        env["AZURE_CERT_PASSPHRASE"] = tenant.App.CertificatePassphrase;
        env["AZURE_AUTHORITY_HOST"] = emulator.BaseUri.ToString();
        env["GRAPH_API_BASE"] = emulator.BaseUri.ToString();
        env["DEFENDER_API_BASE"] = emulator.BaseUri.ToString();
        env["DEFENDER_TLS_TRUST_CERT"] = emulator.CertificatePemPath;
        env["DEFENDER_ACTIONS"] = "respond";
        env["DEFENDER_MCP_STATE_DIR"] = state;
        try
        {
            string firstRun;
            await using (var first = await ConnectAsync(env))
            {
                var scheduled = await first.CallToolAsync("schedule_hunt", new Dictionary<string, object?> { ["name"] = "phishing-clicks", ["every"] = "PT5M" }, cancellationToken: Ct);
                Assert.True(scheduled.IsError != true, JsonSerializer.Serialize(scheduled.StructuredContent));
                firstRun = await WaitForFirstRunAsync(first);
            }

            await using var second = await ConnectAsync(env);
            var hunts = await second.CallToolAsync("list_saved_hunts", new Dictionary<string, object?>(), cancellationToken: Ct);
            var hunt = hunts.StructuredContent!.Value.GetProperty("hunts").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "phishing-clicks");
            var results = await second.CallToolAsync("get_hunt_results", new Dictionary<string, object?> { ["name"] = "phishing-clicks" }, cancellationToken: Ct);
            var run = Assert.Single(results.StructuredContent!.Value.GetProperty("runs").EnumerateArray());

            Assert.Equal("PT5M", hunt.GetProperty("scheduled_every").GetString());
            Assert.Equal(firstRun, run.GetProperty("run_at").GetString());
            Assert.Equal("default", run.GetProperty("tenant").GetString());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(state));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state, "state.db")));
            }
        }
        finally
        {
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static Task<McpClient> ConnectAsync(Dictionary<string, string?> env) => ServerProcess.ConnectAsync("defender-mcp-state", env, Ct);

    private static async Task<string> WaitForFirstRunAsync(McpClient client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var results = await client.CallToolAsync("get_hunt_results", new Dictionary<string, object?> { ["name"] = "phishing-clicks" }, cancellationToken: timeout.Token);
            var runs = results.StructuredContent!.Value.GetProperty("runs");
            if (runs.GetArrayLength() > 0)
            {
                Assert.Equal(JsonValueKind.Number, runs[0].GetProperty("row_count").ValueKind);
                return runs[0].GetProperty("run_at").GetString()!;
            }

            await Task.Delay(200, timeout.Token);
        }
    }
}
