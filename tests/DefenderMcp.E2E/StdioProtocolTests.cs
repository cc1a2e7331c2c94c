using System.Diagnostics;
using System.Text.Json;
using System.Text;

namespace DefenderMcp.E2E;

/// <summary>
/// Drives the built server over raw stdio and checks every stdout line: SDK clients silently skip non-JSON lines,
/// so only a raw reader catches stdout pollution.
/// </summary>
public sealed class StdioProtocolTests
{
    [Fact]
    public async Task Demo_server_writes_nothing_but_json_rpc_on_stdout()
    {
        var ct = TestContext.Current.CancellationToken;
        var stderr = new StringBuilder();
        using var process = StartDemo(stderr);
        var stdoutLines = new List<string>();
        try
        {
            var init = await InitializeAsync(process, stdoutLines, ct);
            Assert.Equal("defender-mcp", init.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            await Send(process, new { jsonrpc = "2.0", method = "notifications/initialized" });
            await Send(process, new { jsonrpc = "2.0", id = 2, method = "tools/list" });
            var tools = await ReadResponse(process, 2, stdoutLines, ct);
            Assert.Contains(tools.GetProperty("result").GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "query_advanced_hunting");
            await Send(process, new
            {
                jsonrpc = "2.0",
                id = 3,
                method = "tools/call",
                @params = new { name = "query_advanced_hunting", arguments = new { query = "DeviceProcessEvents | where FileName =~ \"powershell.exe\" | take 5", tenant = "*" } },
            });
            var call = await ReadResponse(process, 3, stdoutLines, ct);
            var structured = call.GetProperty("result").GetProperty("structuredContent");
            Assert.True(structured.GetProperty("fan_out").GetBoolean());
            Assert.Equal(2, structured.GetProperty("results").GetArrayLength());

            // The text block's JSON is escaped as JSON needs it and no more: a quote as \", not the web-safe \u0022,
            // which made every result's text half again as long.
            var callLine = stdoutLines[^1];
            Assert.Contains("\\\"fan_out\\\":true", callLine, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u0022", callLine, StringComparison.Ordinal);

            // An unknown tool is the caller's protocol error: -32602 on stdout, and on stderr one escaped line each
            // (the SDK quotes the name as given), with no stack trace and no line the caller could forge.
            await Send(process, new { jsonrpc = "2.0", id = 4, method = "tools/call", @params = new { name = "nope\nfail: forged entry", arguments = new { } } });
            var unknown = await ReadResponse(process, 4, stdoutLines, ct);
            Assert.Equal(-32602, unknown.GetProperty("error").GetProperty("code").GetInt32());

            // Parameters of the wrong shape are the caller's mistake too: invalid params, not an internal error.
            await Send(process, new { jsonrpc = "2.0", id = 5, method = "tools/call", @params = new { name = "list_alerts", arguments = "severity=High" } });
            var malformed = await ReadResponse(process, 5, stdoutLines, ct);
            Assert.Equal(-32602, malformed.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Contains("'arguments' must be an object", malformed.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            await Send(process, new { jsonrpc = "2.0", id = 6, method = "prompts/get", @params = new { name = 7 } });
            Assert.Equal(-32602, (await ReadResponse(process, 6, stdoutLines, ct)).GetProperty("error").GetProperty("code").GetInt32());

            process.StandardInput.Close();
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
            stdoutLines.AddRange((await process.StandardOutput.ReadToEndAsync(ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.All(stdoutLines, line =>
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal("2.0", doc.RootElement.GetProperty("jsonrpc").GetString());
        });
        string err;
        lock (stderr)
        {
            err = stderr.ToString();
        }

        Assert.Contains("DEMO MODE", err, StringComparison.Ordinal);
        // No secret in any log or audit line: demo secrets, passphrases, tokens, headers.
        Assert.DoesNotContain("demo-secret", err, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-cert-passphrase", err, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", err, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"event\":\"tool_call\"", err, StringComparison.Ordinal);
        Assert.Contains("\"tool\":\"query_advanced_hunting\"", err, StringComparison.Ordinal);
        var lines = err.Split('\n');

        // stdin closed is a clean stop: the trail begins with server_start and ends with server_stop, its uptime and transport.
        var audit = lines.Where(l => l.StartsWith("{\"ts\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("server_start", audit[0].GetProperty("event").GetString());
        var stop = audit[^1];
        Assert.Equal("server_stop", stop.GetProperty("event").GetString());
        Assert.Contains("transport=stdio", stop.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.InRange(stop.GetProperty("counts").GetProperty("uptime_seconds").GetInt64(), 0, 600);
        Assert.Single(audit, l => l.GetProperty("event").GetString() == "server_stop");
        Assert.Contains(lines, l => l.Contains("nope\\nfail: forged entry", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("fail: forged", StringComparison.Ordinal));
        // A caller's mistake is a warning (the failed request, with its message), never an error an operator would chase.
        Assert.Contains(lines, l => l.StartsWith("warn: ModelContextProtocol", StringComparison.Ordinal) && l.Contains("Unknown tool", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("fail: ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ModelContextProtocol", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at System.Text.Json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_line_that_is_not_json_gets_a_parse_error_with_id_null_and_the_server_goes_on()
    {
        var ct = TestContext.Current.CancellationToken;
        using var process = Process.Start(ServerProcess.StartInfo("--demo"))!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var stdoutLines = new List<string>();
        try
        {
            await process.StandardInput.WriteLineAsync("hello, server");
            await process.StandardInput.FlushAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("server closed stdout");
            using var parseError = JsonDocument.Parse(line);

            Assert.Equal(JsonValueKind.Null, parseError.RootElement.GetProperty("id").ValueKind);
            Assert.Equal(-32700, parseError.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal("defender-mcp", (await InitializeAsync(process, stdoutLines, ct)).GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_line_past_4_MiB_is_cut_answered_as_a_parse_error_and_the_next_call_is_served()
    {
        var ct = TestContext.Current.CancellationToken;
        var stderr = new StringBuilder();
        using var process = StartDemo(stderr);
        var stdoutLines = new List<string>();
        try
        {
            await InitializeAsync(process, stdoutLines, ct);
            await Send(process, new { jsonrpc = "2.0", method = "notifications/initialized" });

            // 6 MiB in one argument, written in pieces as a pipe delivers them; the server reads no more than 4 MiB of it.
            await Send(process, new { jsonrpc = "2.0", id = 2, method = "tools/call", @params = new { name = "list_alerts", arguments = new { severity = new string('x', 6 << 20) } } });
            var cut = await ReadResponse(process, 2, stdoutLines, ct);
            Assert.Equal(-32700, cut.GetProperty("error").GetProperty("code").GetInt32());

            await Send(process, new { jsonrpc = "2.0", id = 3, method = "tools/call", @params = new { name = "list_alerts", arguments = new { limit = 1 } } });
            var served = await ReadResponse(process, 3, stdoutLines, ct);
            Assert.Equal(1, served.GetProperty("result").GetProperty("structuredContent").GetProperty("alerts").GetArrayLength());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        lock (stderr)
        {
            Assert.Contains("was longer than 4194304 bytes: it was cut there", stderr.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_bad_configuration_exits_with_code_2_and_names_the_problem()
    {
        var ct = TestContext.Current.CancellationToken;
        var info = ServerProcess.StartInfo();
        info.Environment["AZURE_TENANT_ID"] = "11111111-2222-3333-4444-555555555555";
        info.Environment["GRAPH_API_BASE"] = "http://graph.example.com";
        var (code, stdout, stderr) = await ServerProcess.RunAsync(info, ct, TimeSpan.FromSeconds(30));

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("AZURE_CLIENT_ID: missing", stderr, StringComparison.Ordinal);
        Assert.Contains("GRAPH_API_BASE: http is only allowed on a loopback host", stderr, StringComparison.Ordinal);
    }

    /// <summary>The built server in demo mode, its stderr gathered in <paramref name="stderr"/> (under its lock).</summary>
    private static Process StartDemo(StringBuilder stderr)
    {
        var process = Process.Start(ServerProcess.StartInfo("--demo"))!;
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<JsonElement> InitializeAsync(Process process, List<string> lines, CancellationToken ct)
    {
        await Send(process, new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "raw-e2e", version = "1.0" } } });
        return await ReadResponse(process, 1, lines, ct);
    }

    private static async Task Send(Process process, object message)
    {
        await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message));
        await process.StandardInput.FlushAsync();
    }

    private static async Task<JsonElement> ReadResponse(Process process, int id, List<string> lines, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("server closed stdout");
            lines.Add(line);
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
            {
                return doc.RootElement.Clone();
            }
        }
    }
}
