using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace DefenderMcp.E2E;

/// <summary>
/// A client that writes its requests and then closes the server's standard input (a script: <c>printf … |
/// defender-mcp --demo</c>, or a client shutting down with calls in flight) gets every answer before the server exits.
/// The SDK's own transport dropped them all once the input had ended, even the answer to <c>initialize</c>, while the
/// calls still ran. A write that needs a person's confirmation is refused at once: nobody can answer any more.
/// </summary>
public sealed class StdinEndTests
{
    [Fact]
    public async Task Requests_sent_before_stdin_closes_are_all_answered_and_a_write_is_refused_unconfirmed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(ServerProcess.StartInfo("--demo"))!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            object[] requests =
            [
                new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { protocolVersion = "2025-06-18", capabilities = new { elicitation = new { } }, clientInfo = new { name = "stdin-end", version = "1.0" } } },
                new { jsonrpc = "2.0", method = "notifications/initialized" },
                new { jsonrpc = "2.0", id = 2, method = "tools/call", @params = new { name = "list_incidents", arguments = new { limit = 2 } } },
                new { jsonrpc = "2.0", id = 3, method = "tools/call", @params = new { name = "isolate_device", arguments = new { device = "ctso-hr-lt-088.contoso.com", comment = "stdin end test" } } },
                new { jsonrpc = "2.0", id = 4, method = "tools/call", @params = new { name = "query_advanced_hunting", arguments = new { query = "DeviceProcessEvents | take 3", tenant = "*" } } },
            ];
            foreach (var request in requests)
            {
                await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(request).AsMemory(), ct);
            }

            process.StandardInput.Close();
            var stdout = await process.StandardOutput.ReadToEndAsync(ct).WaitAsync(TimeSpan.FromSeconds(90), ct);
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.Equal(0, process.ExitCode);

            var answers = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonDocument.Parse(line).RootElement)
                .Where(message => message.TryGetProperty("id", out _))
                .ToDictionary(message => message.GetProperty("id").GetInt32());
            Assert.Equal([1, 2, 3, 4], answers.Keys.Order());
            Assert.Equal("defender-mcp", answers[1].GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            Assert.Equal(2, answers[2].GetProperty("result").GetProperty("structuredContent").GetProperty("incidents").GetArrayLength());
            Assert.Equal(2, answers[4].GetProperty("result").GetProperty("structuredContent").GetProperty("results").GetArrayLength());

            var refused = answers[3].GetProperty("result");
            Assert.True(refused.GetProperty("isError").GetBoolean());
            var error = refused.GetProperty("structuredContent").GetProperty("error");
            Assert.Equal("confirmation_required", error.GetProperty("code").GetString());
            Assert.Contains("closed its input", error.GetProperty("message").GetString(), StringComparison.Ordinal);

            // Nothing was sent: no intent line (written before any confirmed write), and the call's line says why.
            var audit = (await stderr.WaitAsync(TimeSpan.FromSeconds(30), ct)).Split('\n').Where(l => l.StartsWith("{\"ts\"", StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain(audit, l => l.Contains("\"event\":\"action_intent\"", StringComparison.Ordinal));
            var isolate = Assert.Single(audit, l => l.Contains("\"tool\":\"isolate_device\"", StringComparison.Ordinal));
            Assert.Contains("\"confirmation\":\"elicitation_unavailable\"", isolate, StringComparison.Ordinal);
            Assert.Contains(audit, l => l.Contains("\"event\":\"server_stop\"", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
