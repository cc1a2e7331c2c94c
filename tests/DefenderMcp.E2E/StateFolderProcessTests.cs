using System.Diagnostics;
using System.Text.Json;
using DefenderMcp.Emulator;
using ModelContextProtocol.Client;

namespace DefenderMcp.E2E;

/// <summary>
/// The built server as separate processes on one state folder (DEFENDER_MCP_STATE_DIR), configured from the
/// environment like a real deployment against an in-process emulator: what one process promised holds for the next.
/// </summary>
public sealed class StateFolderProcessTests : IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-state-" + Guid.NewGuid().ToString("N"));
    private DefenderEmulator? _emulator;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DefenderEmulator Emulator => _emulator!;

    public async ValueTask InitializeAsync() => _emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), Ct);

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public async Task The_hourly_action_budget_holds_across_processes_on_one_state_folder()
    {
        var first = await CallAsync("add_indicator", Indicator("10.20.30.1"));
        var second = await CallAsync("add_indicator", Indicator("10.20.30.2"));

        using var control = Emulator.CreateControlClient();
        var sent = (await control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.EndsWith("/indicators", StringComparison.Ordinal));
        Assert.True(first.Code == 0, first.Stdout + first.Stderr);
        Assert.Equal(1, second.Code);
        var error = JsonDocument.Parse(second.Stdout).RootElement.GetProperty("error");
        Assert.Equal("policy_denied", error.GetProperty("code").GetString());
        Assert.Contains("hourly action budget", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, sent);
    }

    [Fact]
    public async Task Two_servers_on_one_state_folder_run_each_slot_of_a_schedule_once_and_the_survivor_takes_over_after_a_kill()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The server to kill is found through /proc.");
        var auditA = Path.Combine(_state + "-audit", "a.jsonl");
        var auditB = Path.Combine(_state + "-audit", "b.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(auditA)!);
        try
        {
            var a = await ConnectAsync(auditA);
            await using var b = await ConnectAsync(auditB);
            var scheduled = await a.CallToolAsync("schedule_hunt", new Dictionary<string, object?> { ["name"] = "phishing-clicks", ["every"] = "PT1S" }, cancellationToken: Ct);
            Assert.True(scheduled.IsError != true, JsonSerializer.Serialize(scheduled.StructuredContent));
            await WaitAsync(() => SlotsRun(auditA, auditB).Count >= 4);

            // kill -9 of one server: the other follows the stored schedule and runs the later slots alone.
            var killedAfter = SlotsRun(auditA, auditB).Max();
            KillServer(auditA);
            await a.DisposeAsync();
            await WaitAsync(() => SlotsRun(auditB).Any(slot => slot > killedAfter + 1));

            var slots = SlotsRun(auditA, auditB);
            Assert.Equal(slots.Count, slots.Distinct().Count());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(auditA)!, recursive: true);
        }
    }

    [Fact]
    public async Task Call_schedule_hunt_only_stores_the_schedule_and_a_server_on_the_folder_runs_it()
    {
        var audit = Path.Combine(_state + "-audit", "serve.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(audit)!);
        try
        {
            var stored = await CallAsync("schedule_hunt", ["--arg", "name=phishing-clicks", "--arg", "every=PT5M"]);
            var hunts = await HuntQueriesAsync();
            var runs = await CallAsync("get_hunt_results", ["--arg", "name=phishing-clicks"]);
            var listed = await CallAsync("list_saved_hunts", []);

            // The call said where the schedule is and who runs it, and ran nothing itself.
            Assert.True(stored.Code == 0, stored.Stdout + stored.Stderr);
            var message = JsonDocument.Parse(stored.Stdout).RootElement.GetProperty("message").GetString()!;
            Assert.Contains("is stored in the state folder", message, StringComparison.Ordinal);
            Assert.Contains("this call did not run it", message, StringComparison.Ordinal);
            Assert.Contains("defender-mcp serve", message, StringComparison.Ordinal);
            Assert.Equal(0, hunts);
            Assert.True(runs.Code == 0, runs.Stdout + runs.Stderr);
            Assert.Equal(0, JsonDocument.Parse(runs.Stdout).RootElement.GetProperty("runs").GetArrayLength());

            // The next call lists the stored schedule, though no process runs it yet.
            Assert.True(listed.Code == 0, listed.Stdout + listed.Stderr);
            var hunt = JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("hunts").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "phishing-clicks");
            Assert.Equal("PT5M", hunt.GetProperty("scheduled_every").GetString());

            // A server on the folder follows the stored schedule and runs it at once.
            await using var server = await ConnectAsync(audit);
            await WaitAsync(() => SlotsRun(audit).Count >= 1);
            Assert.Equal(0, SlotsRun(audit)[0]);
            Assert.True(await HuntQueriesAsync() >= 1);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(audit)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_from_a_server_on_the_folder_confirms_in_another_process_once_and_outlives_the_server()
    {
        var audit = Path.Combine(_state + "-audit", "tokens.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(audit)!);
        try
        {
            var comment = new Dictionary<string, object?> { ["incident_id"] = "4301", ["comment"] = "Shared token e2e" };
            string token;
            await using (var server = await ConnectAsync(audit, confirmation: "token"))
            {
                var preview = await server.CallToolAsync("add_incident_comment", comment, cancellationToken: Ct);
                var structured = JsonSerializer.SerializeToElement(preview.StructuredContent);
                Assert.Equal("confirmation_required", structured.GetProperty("status").GetString());
                token = structured.GetProperty("confirmation_token").GetString()!;
            }

            // The server is gone; a separate process on the same folder still knows the key and acts once.
            string[] args = ["--arg", "incident_id=4301", "--arg", "comment=Shared token e2e", "--confirmation-token", token];
            var confirmed = await CallAsync("add_incident_comment", args, confirmation: "token", actionsPerHour: 10);
            var again = await CallAsync("add_incident_comment", args, confirmation: "token", actionsPerHour: 10);

            Assert.True(confirmed.Code == 0, confirmed.Stdout + confirmed.Stderr);
            Assert.Equal(1, again.Code);
            Assert.Contains("already used", JsonDocument.Parse(again.Stdout).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
            using var control = Emulator.CreateControlClient();
            Assert.Equal(1, (await control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.Contains("/comments", StringComparison.OrdinalIgnoreCase)));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(audit)!, recursive: true);
        }
    }

    private async Task<int> HuntQueriesAsync()
    {
        using var control = Emulator.CreateControlClient();
        return (await control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.EndsWith("/runHuntingQuery", StringComparison.Ordinal));
    }

    // The slot of every scheduled run in these audit files; a run line without one fails the test.
    private static List<long> SlotsRun(params string[] auditFiles) =>
    [
        .. auditFiles.Where(File.Exists)
            .SelectMany(ReadLines)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(line => line.GetProperty("event").GetString() == "scheduled_hunt_run")
            .Select(line => long.Parse(
                line.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).Single(n => n.StartsWith("slot=", StringComparison.Ordinal))["slot=".Length..],
                System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private static IEnumerable<string> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.EndsWith('}'))
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private static async Task WaitAsync(Func<bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        while (!done())
        {
            await Task.Delay(200, timeout.Token);
        }
    }

    // The server process that writes this audit file (its command line names no file, so it is found by its open file).
    private static void KillServer(string auditFile)
    {
        var pid = ServerPids.Single(p => Environ(p).Contains("DEFENDER_MCP_AUDIT_FILE=" + auditFile + "\0", StringComparison.Ordinal));
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(10_000);
    }

    private static IEnumerable<int> ServerPids => Process.GetProcessesByName("dotnet").Select(p => p.Id);

    // Another test's dotnet process can end between the listing and the read (CI failed once on "No such process"),
    // and one of another user's is unreadable: neither is the server sought.
    private static string Environ(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private Task<McpClient> ConnectAsync(string auditFile, string confirmation = "none")
    {
        var env = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        var info = new ProcessStartInfo();
        Configure(info, confirmation);
        foreach (var name in new[] { "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CERT_PATH", "AZURE_CERT_PASSPHRASE", "AZURE_AUTHORITY_HOST", "GRAPH_API_BASE", "DEFENDER_API_BASE", "DEFENDER_TLS_TRUST_CERT", "DEFENDER_ACTIONS", "DEFENDER_CONFIRMATION", "DEFENDER_MCP_WARMUP", "DEFENDER_MCP_STATE_DIR" })
        {
            env[name] = info.Environment[name];
        }

        env["DEFENDER_MCP_HUNT_MIN_INTERVAL_SECONDS"] = "1";
        env["DEFENDER_MCP_AUDIT_FILE"] = auditFile;
        return ServerProcess.ConnectAsync("defender-mcp-state", env, Ct);
    }

    private static string[] Indicator(string ip) =>
        ["--arg", "indicator_type=IpAddress", "--arg", "value=" + ip, "--arg", "action=Audit", "--arg", "generate_alert=true", "--arg", "title=e2e", "--arg", "description=e2e"];

    private Task<(int Code, string Stdout, string Stderr)> CallAsync(string tool, string[] args, string confirmation = "none", int actionsPerHour = 1)
    {
        var info = ServerProcess.StartInfo(["call", tool, .. args]);
        Configure(info, confirmation);
        info.Environment["DEFENDER_MAX_ACTIONS_PER_HOUR"] = actionsPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ServerProcess.RunAsync(info, Ct);
    }

    private void Configure(ProcessStartInfo info, string confirmation)
    {
        var tenant = Emulator.Tenants.First();
        info.Environment["AZURE_TENANT_ID"] = tenant.TenantId;
        info.Environment["AZURE_CLIENT_ID"] = tenant.App.ClientId;
        info.Environment["AZURE_CERT_PATH"] = tenant.App.CertificatePfxPath;
        info.Environment["AZURE_CERT_PASSPHRASE"] = tenant.App.CertificatePassphrase;
        info.Environment["AZURE_AUTHORITY_HOST"] = Emulator.BaseUri.ToString();
        info.Environment["GRAPH_API_BASE"] = Emulator.BaseUri.ToString();
        info.Environment["DEFENDER_API_BASE"] = Emulator.BaseUri.ToString();
        info.Environment["DEFENDER_TLS_TRUST_CERT"] = Emulator.CertificatePemPath;
        info.Environment["DEFENDER_ACTIONS"] = "respond";
        info.Environment["DEFENDER_CONFIRMATION"] = confirmation;
        info.Environment["DEFENDER_MCP_WARMUP"] = "off";
        info.Environment["DEFENDER_MCP_STATE_DIR"] = _state;
    }
}
