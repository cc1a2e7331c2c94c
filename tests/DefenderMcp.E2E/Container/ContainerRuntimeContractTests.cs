using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using DefenderMcp.E2E.Http;
using DefenderMcp.E2E.Packaging;
using DefenderMcp.Emulator;

namespace DefenderMcp.E2E.Container;

/// <summary>
/// What the Dockerfile's image relies on, checked without Docker: the published app, run as an unprivileged user
/// (nobody) with its own folder read-only and HOME unwritable, serves MCP over HTTP, answers /healthz and /readyz,
/// writes only to its configured state and audit folders, and stops cleanly on SIGTERM.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ContainerRuntimeContractTests : IAsyncLifetime
{
    private const int Nobody = 65534;
    private readonly string _work = Path.Combine("/tmp", "defender-mcp-container-" + Guid.NewGuid().ToString("N"));
    private DefenderEmulator _emulator = null!;

    public async ValueTask InitializeAsync() =>
        _emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Fact]
    public async Task The_published_app_runs_as_nobody_on_a_read_only_tree_writes_only_its_folders_and_stops_on_sigterm()
    {
        if (!OperatingSystem.IsLinux() || GetEffectiveUserId() != 0 || !File.Exists("/usr/bin/setpriv"))
        {
            Assert.Skip("needs Linux, root (to switch to the nobody user) and setpriv: the contract is about running as another user");
        }

        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(_work);
        File.SetUnixFileMode(_work, (UnixFileMode)0b111_101_101);

        // The image's build stage: the same publish the Dockerfile runs.
        var app = Path.Combine(_work, "app");
        var publish = await ProcessRunner.RunAsync(
            "dotnet",
            ["publish", RepositoryFiles.ServerProject, "-c", "Release", "-o", app, "--artifacts-path", Path.Combine(_work, "artifacts"),
             "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishReadyToRun=true"],
            RepositoryFiles.Root, TimeSpan.FromMinutes(12), ct);
        Assert.True(publish.ExitCode == 0, publish.Output);
        Directory.Delete(Path.Combine(_work, "artifacts"), recursive: true);

        // Root owns the app and HOME: read-only for nobody. Only state, audit and the secrets mount belong to nobody.
        var home = Directory.CreateDirectory(Path.Combine(_work, "home")).FullName;
        var state = Path.Combine(_work, "data", "state");
        var audit = Path.Combine(_work, "data", "audit");
        var secrets = Path.Combine(_work, "secrets");
        foreach (var folder in new[] { Path.Combine(_work, "data"), state, audit, secrets })
        {
            Directory.CreateDirectory(folder);
            Chown(folder);
            File.SetUnixFileMode(folder, folder.EndsWith("data", StringComparison.Ordinal) ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b111_000_000);
        }

        var tenant = _emulator.Tenants[0];
        var certificate = CopyOwned(tenant.App.CertificatePfxPath, Path.Combine(secrets, "app.pfx"), (UnixFileMode)0b110_000_000);
        var trust = CopyOwned(_emulator.CertificatePemPath, Path.Combine(secrets, "emulator-tls.pem"), (UnixFileMode)0b110_100_100);
        var keysFile = Path.Combine(secrets, "api-keys.json");
        var keys = await ProcessRunner.RunAsync("dotnet", [Path.Combine(app, "DefenderMcp.dll"), "keys", "add", "probe", "--file", keysFile], _work, TimeSpan.FromMinutes(1), ct);
        Assert.True(keys.ExitCode == 0, keys.Output);
        var key = keys.StandardOutput.Trim();
        Chown(keysFile);

        var before = Snapshot(_work, except: Path.Combine(_work, "data"));
        var started = DateTime.UtcNow.AddSeconds(-1);
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["DOTNET_EnableDiagnostics"] = "0",
            ["AZURE_TENANT_ID"] = tenant.TenantId,
            ["AZURE_CLIENT_ID"] = tenant.App.ClientId,
            ["AZURE_CERT_PATH"] = certificate,
            ["AZURE_CERT_PASSPHRASE"] = tenant.App.CertificatePassphrase,
            ["AZURE_AUTHORITY_HOST"] = _emulator.BaseUri.AbsoluteUri,
            ["GRAPH_API_BASE"] = _emulator.BaseUri.AbsoluteUri,
            ["DEFENDER_API_BASE"] = _emulator.BaseUri.AbsoluteUri,
            ["DEFENDER_TLS_TRUST_CERT"] = trust,
            ["DEFENDER_MCP_API_KEYS_FILE"] = keysFile,
            ["DEFENDER_MCP_STATE_DIR"] = state,
            ["DEFENDER_MCP_AUDIT_FILE"] = Path.Combine(audit, "audit.jsonl"),
            ["DEFENDER_MCP_HTTP_URLS"] = "http://127.0.0.1:0",
            ["DEFENDER_ACTIONS"] = "respond",
        };

        using var server = StartAsNobody(app, environment, out var stderr, out var listening);
        try
        {
            var mcp = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
            var root = new Uri(mcp, "/");
            using (var http = new HttpClient())
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(root, "healthz"), ct)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(root, "readyz"), ct)).StatusCode);
            }

            await using (var client = await HttpClients.ConnectAsync(mcp, key, ct))
            {
                var tools = await client.ListToolsAsync(cancellationToken: ct);
                Assert.Contains(tools, t => t.Name == "list_incidents");
                var incidents = await client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: ct);
                Assert.NotEqual(true, incidents.IsError);
                var schedule = await client.CallToolAsync("schedule_hunt", new Dictionary<string, object?> { ["name"] = "encoded-powershell", ["every"] = "PT1H" }, cancellationToken: ct);
                Assert.NotEqual(true, schedule.IsError);
            }

            Assert.Equal(0, Kill(server.Id, 15));
            await server.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.True(server.ExitCode == 0, $"exit {server.ExitCode}:\n{string.Join('\n', stderr)}");
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name}: {ex.Message}\nserver stderr:\n{string.Join('\n', stderr.TakeLast(40))}");
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }

        // Nothing changed outside the configured folders; the audit file and the state store are where they belong.
        Assert.Equal(before, Snapshot(_work, except: Path.Combine(_work, "data")));
        Assert.True(File.Exists(Path.Combine(audit, "audit.jsonl")), "no audit file");
        Assert.Contains("list_incidents", File.ReadAllText(Path.Combine(audit, "audit.jsonl")), StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(state, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFileSystemEntries(home));
        var strays = OwnedByNobodySince("/tmp", started).Where(p => !p.StartsWith(Path.Combine(_work, "data"), StringComparison.Ordinal) && !p.StartsWith(secrets, StringComparison.Ordinal)).ToList();
        Assert.True(strays.Count == 0, "written outside the configured folders: " + string.Join(", ", strays));
    }

    private static Process StartAsNobody(string app, Dictionary<string, string> environment, out ConcurrentQueue<string> stderr, out TaskCompletionSource<Uri> listening)
    {
        var info = new ProcessStartInfo("/usr/bin/setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = app,
        };
        foreach (var arg in new[] { $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--no-new-privs", "dotnet", Path.Combine(app, "DefenderMcp.dll"), "serve", "--transport", "http" })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("DEFENDER_", StringComparison.Ordinal) || k.StartsWith("AZURE_", StringComparison.Ordinal) || k.StartsWith("MCP_", StringComparison.Ordinal) || k == "XDG_CONFIG_HOME").ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var lines = new ConcurrentQueue<string>();
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("server exited before listening:\n" + string.Join('\n', lines)));
                return;
            }

            lines.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                ready.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        stderr = lines;
        listening = ready;
        return process;
    }

    private static string CopyOwned(string source, string destination, UnixFileMode mode)
    {
        File.Copy(source, destination);
        Chown(destination);
        File.SetUnixFileMode(destination, mode);
        return destination;
    }

    private static void Chown(string path) => Assert.Equal(0, ChangeOwner(path, Nobody, Nobody));

    // Path, size and write time of every file under root (but not under except).
    private static List<string> Snapshot(string root, string except) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(except, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p):O}" : p + "/")];

    // Every file or folder under root that nobody wrote since the server started (one find, errors ignored).
    private static IEnumerable<string> OwnedByNobodySince(string root, DateTime since)
    {
        var epoch = new DateTimeOffset(since).ToUnixTimeSeconds();
        using var process = Process.Start(new ProcessStartInfo("find", [root, "-xdev", "-user", Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture), "-newermt", $"@{epoch}", "-print"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = process.StandardError.ReadToEndAsync();
        var found = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = errors.Result;
        return found.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int ChangeOwner(string path, int owner, int group);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"serving MCP over Streamable HTTP at (http\S+/mcp)")]
    private static partial Regex ListeningLine();
}
