using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using DefenderMcp.E2E.Http;
using DefenderMcp.E2E.Packaging;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.E2E.Container;

/// <summary>
/// The built image itself, run the way docs/deployment.md says (read-only root, tmpfs /tmp, all capabilities dropped,
/// state and audit volumes, secrets mounted read-only, an env file, --stop-timeout 40) against the emulator. Opt-in:
/// it needs a Docker engine and an image built from the Dockerfile, named in DEFENDER_MCP_TEST_IMAGE
/// (`docker build -t defender-mcp .`, then `DEFENDER_MCP_TEST_IMAGE=defender-mcp dotnet test ...`), and skips otherwise, so CI
/// (no engine, no registry) spends nothing on it. build-standin-base-images.sh builds the base images where
/// mcr.microsoft.com cannot be reached. The container shares the host's network (the emulator listens on loopback
/// only), so the server takes the host's port 8080, as the HEALTHCHECK expects.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ContainerImageTests : IAsyncLifetime
{
    private const int AppUid = 1654;
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];
    private readonly string _work = Path.Combine("/tmp", "defender-mcp-image-" + Guid.NewGuid().ToString("N"));
    private DefenderEmulator? _emulator;

    private string Container => "defender-mcp-test-" + _id;

    private string StateVolume => "defender-mcp-test-state-" + _id;

    private string AuditVolume => "defender-mcp-test-audit-" + _id;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
        {
            await Docker(TimeSpan.FromMinutes(1), "rm", "-f", "-v", Container);
            await Docker(TimeSpan.FromMinutes(1), "volume", "rm", StateVolume, AuditVolume);
            await _emulator.DisposeAsync();
        }

        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task The_image_run_as_documented_serves_stays_healthy_writes_only_its_volumes_drains_on_docker_stop_and_keeps_state()
    {
        var image = Environment.GetEnvironmentVariable("DEFENDER_MCP_TEST_IMAGE");
        if (string.IsNullOrEmpty(image) || !OperatingSystem.IsLinux() || GetEffectiveUserId() != 0)
        {
            Assert.Skip("opt-in: set DEFENDER_MCP_TEST_IMAGE to an image built from the Dockerfile, on Linux as root (the secrets folder is chowned to the image's app user)");
        }

        if (!await EngineAnswersAsync() || !PortIsFree(8080))
        {
            Assert.Skip("no Docker engine answers, or the host's port 8080 is taken");
        }

        var ct = TestContext.Current.CancellationToken;
        _emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), ct);
        using var control = _emulator.CreateControlClient();
        var tenant = _emulator.Tenants[0];

        // Secrets owned by the image's app user, mode 0600, mounted read-only; the keys file made with the image itself.
        var secrets = Directory.CreateDirectory(Path.Combine(_work, "secrets")).FullName;
        File.Copy(tenant.App.CertificatePfxPath, Path.Combine(secrets, "app.pfx"));
        File.Copy(_emulator.CertificatePemPath, Path.Combine(secrets, "emulator-tls.pem"));
        File.SetUnixFileMode(Path.Combine(secrets, "app.pfx"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var path in new[] { secrets, Path.Combine(secrets, "app.pfx"), Path.Combine(secrets, "emulator-tls.pem") })
        {
            Assert.Equal(0, ChangeOwner(path, AppUid, AppUid));
        }

        var keys = await Docker(TimeSpan.FromMinutes(2), "run", "--rm", "-v", secrets + ":/keys", image, "keys", "add", "probe", "--file", "/keys/api-keys.json");
        Assert.True(keys.ExitCode == 0, keys.Output);
        var key = keys.StandardOutput.Trim();

        var envFile = Path.Combine(_work, "defender.env");
        await File.WriteAllLinesAsync(envFile,
        [
            "AZURE_TENANT_ID=" + tenant.TenantId,
            "AZURE_CLIENT_ID=" + tenant.App.ClientId,
            "AZURE_CERT_PATH=/run/secrets/defender/app.pfx",
            "AZURE_CERT_PASSPHRASE=" + tenant.App.CertificatePassphrase,
            "AZURE_AUTHORITY_HOST=" + _emulator.BaseUri.AbsoluteUri,
            "GRAPH_API_BASE=" + _emulator.BaseUri.AbsoluteUri,
            "DEFENDER_API_BASE=" + _emulator.BaseUri.AbsoluteUri,
            "DEFENDER_TLS_TRUST_CERT=/run/secrets/defender/emulator-tls.pem",
            "DEFENDER_ACTIONS=respond",
            "DEFENDER_MCP_API_KEYS_FILE=/run/secrets/defender/api-keys.json",
        ], ct);

        // docs/deployment.md's command, with the host's network instead of -p (the emulator is on loopback) and the
        // health check every 2 s instead of 30 s, so the test need not wait for it.
        var run = await Docker(TimeSpan.FromMinutes(1), "run", "-d", "--name", Container, "--network", "host",
            "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--stop-timeout", "40",
            "--health-interval", "2s",
            "-v", StateVolume + ":/var/lib/defender-mcp", "-v", AuditVolume + ":/var/log/defender-mcp",
            "-v", secrets + ":/run/secrets/defender:ro", "--env-file", envFile, image);
        Assert.True(run.ExitCode == 0, run.Output);

        var mcp = await ListeningAsync(0, ct);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("http://127.0.0.1:8080/healthz", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("http://127.0.0.1:8080/readyz", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync(mcp, new StringContent(HttpClients.InitializeBody, System.Text.Encoding.UTF8, "application/json"), ct)).StatusCode);

        await using (var client = await HttpClients.ConnectAsync(mcp, key, ct))
        {
            var incidents = await client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: ct);
            Assert.NotEqual(true, incidents.IsError);
            var schedule = await client.CallToolAsync("schedule_hunt", new Dictionary<string, object?> { ["name"] = "encoded-powershell", ["every"] = "PT1H" }, cancellationToken: ct);
            Assert.NotEqual(true, schedule.IsError);
        }

        Assert.Equal("healthy", await HealthAsync(ct));

        // Read-only root: nothing changed in the container's own layer but the mount points Docker made.
        var diff = await Docker(TimeSpan.FromMinutes(1), "diff", Container);
        var mounts = new[] { "/run/secrets/defender", "/var/lib/defender-mcp", "/var/log/defender-mcp", "/tmp" };
        var changed = diff.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l[2..]);
        Assert.All(changed, path => Assert.Contains(mounts, m => m == path || m.StartsWith(path + "/", StringComparison.Ordinal)));

        // The audit trail is in its volume, written by the app user, and names the caller and the call.
        var stat = await Docker(TimeSpan.FromMinutes(1), "exec", Container, "stat", "-c", "%u %a", "/var/log/defender-mcp/audit.jsonl", "/var/lib/defender-mcp");
        Assert.Equal($"{AppUid} 600\n{AppUid} 700", stat.StandardOutput.Trim());
        var audit = await Docker(TimeSpan.FromMinutes(1), "exec", Container, "cat", "/var/log/defender-mcp/audit.jsonl");
        Assert.Contains("\"tool\":\"list_incidents\"", audit.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"caller\":{\"name\":\"probe\",\"kind\":\"api_key\"}", audit.StandardOutput, StringComparison.Ordinal);
        var tmp = await Docker(TimeSpan.FromMinutes(1), "exec", Container, "find", "/tmp", "-mindepth", "1");
        Assert.True(tmp.ExitCode == 0 && tmp.StandardOutput.Trim().Length == 0, "written to the tmpfs /tmp: " + tmp.Output);

        // docker stop while a 15 s call is in flight (longer than Docker's default 10 s grace): the call finishes, exit 0.
        await control.AddFaultAsync(new FaultSpec { DelayMs = 15_000, Count = 1, PathPattern = "incidents" }, ct);
        await using (var client = await HttpClients.ConnectAsync(mcp, key, ct))
        {
            var slow = client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: ct).AsTask();
            await Task.Delay(3000, ct);
            var stop = await Docker(TimeSpan.FromMinutes(2), "stop", Container);
            Assert.True(stop.ExitCode == 0, stop.Output);
            Assert.NotEqual(true, (await slow).IsError);
        }

        Assert.Equal("0", (await Docker(TimeSpan.FromMinutes(1), "inspect", "-f", "{{.State.ExitCode}}", Container)).StandardOutput.Trim());
        Assert.Contains("for 1 call(s) in flight", (await Docker(TimeSpan.FromMinutes(1), "logs", Container)).Output, StringComparison.Ordinal);

        // Started again on the same volumes: the schedule is still there.
        Assert.Equal(0, (await Docker(TimeSpan.FromMinutes(1), "start", Container)).ExitCode);
        mcp = await ListeningAsync(1, ct);
        await using (var client = await HttpClients.ConnectAsync(mcp, key, ct))
        {
            var hunts = await client.CallToolAsync("list_saved_hunts", new Dictionary<string, object?>(), cancellationToken: ct);
            Assert.Matches(ScheduledEncodedPowershell(), hunts.StructuredContent?.ToString() ?? string.Empty);
        }
    }

    // The address in the newest "serving MCP" line of the container's log, once it has more than it had before (a start
    // adds one: `docker logs` keeps the lines of earlier starts).
    private async Task<Uri> ListeningAsync(int linesBefore, CancellationToken ct)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(500, ct))
        {
            var logs = await Docker(TimeSpan.FromMinutes(1), "logs", Container);
            var lines = ListeningLine().Matches(logs.Output);
            if (lines.Count > linesBefore)
            {
                return new Uri(lines[^1].Groups[1].Value.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            }

            var running = await Docker(TimeSpan.FromMinutes(1), "inspect", "-f", "{{.State.Running}}", Container);
            Assert.True(running.StandardOutput.Trim() == "true", "the container stopped:\n" + logs.Output);
        }

        throw new Xunit.Sdk.XunitException("no listening line:\n" + (await Docker(TimeSpan.FromMinutes(1), "logs", Container)).Output);
    }

    private async Task<string> HealthAsync(CancellationToken ct)
    {
        var status = string.Empty;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && status != "healthy"; await Task.Delay(1000, ct))
        {
            status = (await Docker(TimeSpan.FromMinutes(1), "inspect", "-f", "{{.State.Health.Status}}", Container)).StandardOutput.Trim();
        }

        return status;
    }

    private static async Task<bool> EngineAnswersAsync()
    {
        try
        {
            return (await Docker(TimeSpan.FromSeconds(20), "version", "--format", "{{.Server.Version}}")).ExitCode == 0;
        }
        catch (Exception ex) when (ex is TimeoutException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static Task<ProcessRunner.Result> Docker(TimeSpan timeout, params string[] args) =>
        ProcessRunner.RunAsync("docker", args, "/", timeout, CancellationToken.None);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int ChangeOwner(string path, int owner, int group);

    [GeneratedRegex(@"serving MCP over Streamable HTTP at (http\S+/mcp)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"encoded-powershell[^}]*PT1H")]
    private static partial Regex ScheduledEncodedPowershell();
}
