using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.E2E;

/// <summary>
/// Issue 13's "done when", walked for real: the built server in <c>--demo</c> over stdio, the SDK client approving each
/// confirmation through elicitation. A responder pulls the dropped file from the compromised laptop, checks its hash
/// (the story knows it), runs a collection script, isolates the laptop with a second device in one confirmation,
/// undoes one isolation, and finds every step in the audit trail, whose chain verifies.
/// </summary>
public sealed class DemoResponderWalkTests
{
    private const string Victim = "ctso-fin-lt-011.contoso.com";
    private const string Second = "ctso-hr-lt-018.contoso.com";
    private const string Payload = @"C:\Users\adele.vance\AppData\Local\Temp\OneDriveUpdater.exe";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_responder_collects_checks_runs_isolates_two_undoes_one_and_the_audit_trail_has_every_step()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-walk-").FullName;
        try
        {
            var audit = Path.Combine(home, "audit.jsonl");
            var messages = new List<string>();
            var env = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
            env["XDG_DATA_HOME"] = Path.Combine(home, "data");
            env["XDG_CACHE_HOME"] = Path.Combine(home, "cache");
            env["DEFENDER_MCP_AUDIT_FILE"] = audit;
            await using (var client = await ConnectAsync(env, messages))
            {
                // 1. Pull the dropped file; 2. check its hash, and that the story knows it.
                var file = (await CallAsync(client, "live_response_get_file", new() { ["device"] = Victim, ["path"] = Payload, ["comment"] = "IR-4301 collect the payload" })).GetProperty("live_response").GetProperty("file");
                var saved = file.GetProperty("saved_to").GetString()!;
                var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(saved, Ct)));
                Assert.Equal(sha256, file.GetProperty("sha256").GetString());
                Assert.StartsWith(Path.Combine(home, "data", "defender-mcp", "demo-downloads"), saved, StringComparison.Ordinal);
                var pivot = await CallAsync(client, "get_file_info", new() { ["hash"] = sha256 });
                Assert.Equal("Malware", pivot.GetProperty("file").GetProperty("determination_type").GetString());
                Assert.Contains(Victim, pivot.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()));

                // 3. Run a collection script.
                var script = (await CallAsync(client, "run_live_response_script", new() { ["device"] = Victim, ["script"] = "collect-triage.ps1", ["comment"] = "IR-4301 triage" })).GetProperty("live_response");
                Assert.Equal("Succeeded", script.GetProperty("status").GetString());
                Assert.Contains("OneDriveUpdater", script.GetProperty("commands")[0].GetProperty("output").GetString(), StringComparison.Ordinal);

                // 4. Isolate it with a second device in one confirmation.
                var before = messages.Count;
                var isolation = await CallAsync(client, "isolate_device", new() { ["devices"] = new[] { Victim, Second }, ["comment"] = "IR-4301 contain", ["isolation_type"] = "Full" });
                var message = Assert.Single(messages.Skip(before));
                Assert.Contains(Victim, message, StringComparison.Ordinal);
                Assert.Contains(Second, message, StringComparison.Ordinal);
                var targets = isolation.GetProperty("targets").EnumerateArray().ToList();
                Assert.Equal([true, true], targets.Select(t => t.GetProperty("done").GetBoolean()));
                var secondIsolation = targets.Single(t => t.GetProperty("target").GetProperty("name").GetString() == Second).GetProperty("action_id").GetString()!;

                // 5. Undo one isolation once it has taken effect.
                var done = await CallAsync(client, "get_machine_action", new() { ["action_id"] = secondIsolation, ["wait_seconds"] = 60 });
                Assert.Equal("Succeeded", done.GetProperty("action").GetProperty("status").GetString());
                var undo = await CallAsync(client, "undo_action", new() { ["action_id"] = secondIsolation });
                Assert.Equal(("Unisolate", Second), (undo.GetProperty("type").GetString(), undo.GetProperty("target").GetProperty("name").GetString()));

                // 6. Every step is in the audit trail, the writes with their confirmation and action ids.
                var lines = (await File.ReadAllLinesAsync(audit, Ct)).Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("event").GetString() == "tool_call").ToList();
                Assert.Equal(
                    ["live_response_get_file", "get_file_info", "run_live_response_script", "isolate_device", "get_machine_action", "undo_action"],
                    lines.Select(l => l.GetProperty("tool").GetString()));
                var writes = lines.Where(l => l.GetProperty("tool").GetString() is "live_response_get_file" or "run_live_response_script" or "isolate_device" or "undo_action").ToList();
                Assert.All(writes, l => Assert.Equal(("elicitation_accepted", "success"), (l.GetProperty("confirmation").GetString(), l.GetProperty("outcome").GetString())));
                Assert.Equal(sha256, lines[1].GetProperty("params").GetProperty("hash").GetString());
                Assert.Equal(targets.Select(t => t.GetProperty("action_id").GetString()), lines[3].GetProperty("action_id").GetString()!.Split(','));
                Assert.Equal((secondIsolation, undo.GetProperty("action_id").GetString()), (lines[5].GetProperty("params").GetProperty("action_id").GetString(), lines[5].GetProperty("action_id").GetString()));
            }

            // The trail is whole: its hash chain and head verify once the server has stopped.
            using var verify = Process.Start(ServerProcess.StartInfo("audit", "verify", audit))!;
            await verify.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            Assert.Equal(0, verify.ExitCode);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> args)
    {
        var result = await client.CallToolAsync(tool, args, cancellationToken: Ct);
        Assert.True(result.IsError != true, $"{tool}: {JsonSerializer.Serialize(result.StructuredContent)}");
        return result.StructuredContent!.Value;
    }

    private static Task<McpClient> ConnectAsync(Dictionary<string, string?> env, List<string> messages) => McpClient.CreateAsync(
        new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [ServerProcess.DllPath, "--demo"],
            Name = "defender-mcp-demo-walk",
            InheritEnvironmentVariables = false,
            EnvironmentVariables = env,
        }),
        new McpClientOptions
        {
            ProtocolVersion = "2025-06-18",
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    lock (messages)
                    {
                        messages.Add(request?.Message ?? string.Empty);
                    }

                    return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(true) } });
                },
            },
        },
        cancellationToken: Ct);
}
