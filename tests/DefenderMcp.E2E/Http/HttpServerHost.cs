using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// The built server running as a real process with <c>--transport http --urls http://127.0.0.1:0</c>. It reads the
/// address the server prints on stderr, keeps every stderr line (logs and audit), and can send SIGTERM.
/// </summary>
public sealed partial class HttpServerHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr;

    private HttpServerHost(Process process, ConcurrentQueue<string> stderr, Uri mcp, string? demoKey)
    {
        _process = process;
        _stderr = stderr;
        McpUrl = mcp;
        DemoKey = demoKey;
    }

    /// <summary>The MCP endpoint, e.g. http://127.0.0.1:41234/mcp.</summary>
    public Uri McpUrl { get; }

    /// <summary>The server root (for /healthz and /readyz).</summary>
    public Uri BaseUrl => new(McpUrl, "/");

    /// <summary>The demo key the server printed, when it made one.</summary>
    public string? DemoKey { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Every stderr line so far.</summary>
    public IReadOnlyList<string> Stderr => [.. _stderr];

    /// <summary>The audit lines so far, parsed.</summary>
    public IReadOnlyList<JsonElement> AuditLines() =>
        [.. _stderr.Where(l => l.StartsWith("{\"ts\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>Starts the server and waits until it listens; fails with its stderr if it exits first.</summary>
    public static async Task<HttpServerHost> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken ct, params string[] extraArgs)
    {
        string[] urls = extraArgs.Contains("--urls") ? [] : ["--urls", "http://127.0.0.1:0"];
        var info = ServerProcess.StartInfo(["serve", "--transport", "http", .. urls, .. extraArgs]);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("DEFENDER_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        // No keys file from the developer's home: each test names its own.
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-empty-config");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        var stderr = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("server exited before listening:\n" + string.Join('\n', stderr)));
                return;
            }

            stderr.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90), ct);
            var demoKey = stderr.Select(l => DemoKeyLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
            return new HttpServerHost(process, stderr, url, demoKey);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Runs the server command and returns its exit code and stderr (for start-up refusals).</summary>
    public static async Task<(int Code, string Stderr)> RunToExitAsync(IReadOnlyDictionary<string, string> environment, CancellationToken ct, params string[] args)
    {
        var info = ServerProcess.StartInfo(args);
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-empty-config");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var (code, _, stderr) = await ServerProcess.RunAsync(info, ct);
        return (code, stderr);
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd would.</summary>
    public void SendSigterm() => Assert.Equal(0, Kill(_process.Id, 15));

    /// <summary>Kills the process at once (no drain), as a crashed replica would end.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(20_000);
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct).WaitAsync(timeout, ct);
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"serving MCP over Streamable HTTP at (http\S+/mcp)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Demo API key for this run .*: (dmcp_[A-Za-z0-9_-]+)")]
    private static partial Regex DemoKeyLine();
}
