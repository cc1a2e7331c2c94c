using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DefenderMcp.Emulator;

namespace DefenderMcp.E2E;

/// <summary>
/// The idle-time warm-up in the built server over raw stdio, against an emulator in this process: it runs after the
/// first tools/list, sends nothing upstream, writes nothing on stdout and no audit line, leaves the first real call
/// (and its token) to the emulator, and does not run when DEFENDER_MCP_WARMUP=off.
/// </summary>
public sealed class IdleWarmupTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_warm_up_runs_after_tools_list_without_an_upstream_request_or_an_audit_line(bool certificate)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), ct);
        using var control = emulator.CreateControlClient();
        await using var server = ServerUnderTest.Start(emulator, warmup: null, certificate);

        await server.InitializeAndListToolsAsync(ct);
        var done = await server.WaitForStderrAsync("warm-up done in ", ct);
        // A certificate tenant's certificate, opened by the start-up check, also signs one assertion for the stub.
        Assert.Matches(
            certificate
                ? "^dbug: DefenderMcp.Hosting.Warmup.IdleWarmup.* warm-up done in [0-9]+ ms \\(a token with a secret and with a certificate, the trusted roots, an in-memory HTTPS exchange, a retry pipeline, a full collection\\)$"
                : "^dbug: DefenderMcp.Hosting.Warmup.IdleWarmup.* warm-up done in [0-9]+ ms \\(a token with a secret, the trusted roots, an in-memory HTTPS exchange, a retry pipeline, a full collection\\)$",
            done);

        // Nothing reached the emulator because of the warm-up: not a token request, not a call.
        Assert.Empty(await control.GetRequestsAsync(ct));
        // No audit line but the server's start.
        Assert.DoesNotContain(server.Stderr(), l => l.StartsWith('{') && !l.Contains("\"event\":\"server_start\"", StringComparison.Ordinal));

        var call = await server.CallAsync(3, "list_alerts", new { limit = 1 }, ct);
        Assert.False(call.GetProperty("result").TryGetProperty("isError", out var isError) && isError.GetBoolean(), call.ToString());

        // The first real call got its token from the emulator (the warm-up's canned token is valid nowhere), then listed.
        var requests = await control.GetRequestsAsync(ct);
        var tenant = emulator.GetTenant("contoso");
        Assert.Contains(requests, r => r.Method == "POST" && r.Path == $"/{tenant.TenantId}/oauth2/v2.0/token" && r.Status == 200);
        Assert.Contains(requests, r => r.Method == "GET" && r.Path.EndsWith("/security/alerts_v2", StringComparison.Ordinal) && r.Status == 200);
        Assert.Equal(2, requests.Count);

        var stdout = await server.StopAsync(ct);
        Assert.All(stdout, line =>
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal("2.0", doc.RootElement.GetProperty("jsonrpc").GetString());
        });
        Assert.Single(server.Stderr(), l => l.Contains("warm-up", StringComparison.Ordinal));
        Assert.Single(server.Stderr(), l => l.Contains("\"event\":\"tool_call\"", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Stderr(), l => l.Contains("warm-up.invalid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_DEFENDER_MCP_WARMUP_off_no_warm_up_runs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), ct);
        await using var server = ServerUnderTest.Start(emulator, warmup: "off", certificate: false);

        await server.InitializeAndListToolsAsync(ct);
        var call = await server.CallAsync(3, "list_alerts", new { limit = 1 }, ct);
        Assert.False(call.GetProperty("result").TryGetProperty("isError", out var isError) && isError.GetBoolean(), call.ToString());
        await server.StopAsync(ct);

        // Debug logging is on, so a warm-up would have said so (done, cancelled or failed) before the process exited.
        Assert.Contains(server.Stderr(), l => l.Contains("tools/list", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Stderr(), l => l.Contains("warm-up", StringComparison.Ordinal));
    }

    /// <summary>The server process with a client-secret or certificate tenant on the emulator, debug logs on stderr, raw stdio.</summary>
    private sealed class ServerUnderTest : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _stderr = [];
        private readonly List<string> _stdout = [];
        private (string Text, TaskCompletionSource<string> Seen)? _awaited;

        private ServerUnderTest(Process process)
        {
            _process = process;
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                    if (_awaited is { } awaited && e.Data.Contains(awaited.Text, StringComparison.Ordinal))
                    {
                        awaited.Seen.TrySetResult(e.Data);
                    }
                }
            };
            process.BeginErrorReadLine();
        }

        public static ServerUnderTest Start(DefenderEmulator emulator, string? warmup, bool certificate)
        {
            var tenant = emulator.GetTenant("contoso");
            var info = ServerProcess.StartInfo();
            info.Environment["AZURE_AUTHORITY_HOST"] = emulator.BaseUri.ToString();
            info.Environment["GRAPH_API_BASE"] = emulator.BaseUri.ToString();
            info.Environment["DEFENDER_API_BASE"] = emulator.BaseUri.ToString();
            info.Environment["DEFENDER_TLS_TRUST_CERT"] = emulator.CertificatePemPath;
            info.Environment["AZURE_TENANT_ID"] = tenant.TenantId;
            info.Environment["AZURE_CLIENT_ID"] = tenant.App.ClientId;
            if (certificate)
            {
                info.Environment["AZURE_CERT_PATH"] = tenant.App.CertificatePfxPath;
                info.Environment["AZURE_CERT_PASSPHRASE"] = tenant.App.CertificatePassphrase;
            }
            else
            {
                info.Environment["AZURE_CLIENT_SECRET"] = tenant.App.ClientSecret;
            }

            info.Environment["MCP_DEFENDER_XDR_LOG_LEVEL"] = "debug";
            info.Environment.Remove("DEFENDER_MCP_WARMUP");
            if (warmup is not null)
            {
                info.Environment["DEFENDER_MCP_WARMUP"] = warmup;
            }

            return new ServerUnderTest(Process.Start(info)!);
        }

        public IReadOnlyList<string> Stderr()
        {
            lock (_stderr)
            {
                return [.. _stderr];
            }
        }

        public async Task InitializeAndListToolsAsync(CancellationToken ct)
        {
            await SendAsync(new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "raw-e2e", version = "1.0" } } });
            await ReadResponseAsync(1, ct);
            await SendAsync(new { jsonrpc = "2.0", method = "notifications/initialized" });
            await SendAsync(new { jsonrpc = "2.0", id = 2, method = "tools/list" });
            var tools = await ReadResponseAsync(2, ct);
            Assert.NotEmpty(tools.GetProperty("result").GetProperty("tools").EnumerateArray());
        }

        public async Task<JsonElement> CallAsync(int id, string tool, object arguments, CancellationToken ct)
        {
            await SendAsync(new { jsonrpc = "2.0", id, method = "tools/call", @params = new { name = tool, arguments } });
            return await ReadResponseAsync(id, ct);
        }

        /// <summary>The first stderr line containing <paramref name="text"/>, waited for within the bound.</summary>
        public async Task<string> WaitForStderrAsync(string text, CancellationToken ct)
        {
            var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_stderr)
            {
                if (_stderr.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }

                _awaited = (text, seen);
            }

            return await seen.Task.WaitAsync(Bound, ct);
        }

        /// <summary>Closes stdin, waits for the exit within the bound and returns every stdout line.</summary>
        public async Task<IReadOnlyList<string>> StopAsync(CancellationToken ct)
        {
            _process.StandardInput.Close();
            var rest = await _process.StandardOutput.ReadToEndAsync(ct).WaitAsync(Bound, ct);
            await _process.WaitForExitAsync(ct).WaitAsync(Bound, ct);
            _process.WaitForExit(); // drains the stderr reader
            _stdout.AddRange(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            return _stdout;
        }

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task SendAsync(object message)
        {
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message));
            await _process.StandardInput.FlushAsync();
        }

        private async Task<JsonElement> ReadResponseAsync(int id, CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Bound);
            while (true)
            {
                var line = await _process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("server closed stdout");
                _stdout.Add(line);
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
                {
                    return doc.RootElement.Clone();
                }
            }
        }
    }
}
