using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator;
using DefenderMcp.State;
using DefenderMcp.State.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;

namespace DefenderMcp.Bench;

/// <summary>
/// Three replicas (<c>serve --transport http</c>) under concurrent write load, first each with its own embedded state,
/// then all over one real Redis (a redis-server started here on loopback): calls per second and per-call latency, so
/// the difference is what the shared state adds. Then the shared-state operations alone, timed against the same Redis.
/// Each phase uses its own emulator tenant and stays inside the tenant's Graph quota (150 calls a minute).
/// </summary>
internal static partial class ClusterBenchmark
{
    private const int Replicas = 3;

    public static async Task RunAsync(int sessionsPerReplica, int callsPerSession)
    {
        var redisBinary = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed (apt-get install -y redis-server).");
        var port = FreePort();
        var folder = Directory.CreateTempSubdirectory("defender-mcp-bench-redis-").FullName;
        using var redis = StartRedis(redisBinary, port, folder);
        try
        {
            await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), BenchSupport.Ct).ConfigureAwait(false);
            var embedded = await LoadAsync(emulator, emulator.Tenants[0].Key, null, sessionsPerReplica, callsPerSession).ConfigureAwait(false);
            var shared = await LoadAsync(emulator, emulator.Tenants[1].Key, $"127.0.0.1:{port}", sessionsPerReplica, callsPerSession).ConfigureAwait(false);

            Console.WriteLine($"| state | replicas × sessions | writes | calls/s | median | p95 |");
            Console.WriteLine("|---|---|---|---|---|---|");
            Console.WriteLine(Row("embedded (each replica its own)", sessionsPerReplica, embedded));
            Console.WriteLine(Row("Redis (shared by the 3 replicas)", sessionsPerReplica, shared));
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Added by the shared state per write: median {Percentile(shared.Times, 0.5) - Percentile(embedded.Times, 0.5):F2} ms, p95 {Percentile(shared.Times, 0.95) - Percentile(embedded.Times, 0.95):F2} ms."));
            Console.WriteLine();
            await OperationsAsync(port).ConfigureAwait(false);
            Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores; redis-server on loopback, no persistence.");
        }
        finally
        {
            redis.Kill(entireProcessTree: true);
            await redis.WaitForExitAsync().ConfigureAwait(false);
            Directory.Delete(folder, recursive: true);
        }
    }

    // add_incident_comment (confirmation none) from every session of every replica at once: each write checks and
    // spends the budget and counts two Graph calls (the incident, then the comment) against the rate limits.
    private static async Task<(List<double> Times, TimeSpan Elapsed)> LoadAsync(DefenderEmulator emulator, string tenant, string? redis, int sessionsPerReplica, int callsPerSession)
    {
        var env = BenchSupport.SingleTenantEnvironment(emulator, tenant);
        env["DEFENDER_ACTIONS"] = "respond";
        env["DEFENDER_CONFIRMATION"] = "none";
        env["DEFENDER_MAX_ACTIONS_PER_HOUR"] = "10000";
        env["DEFENDER_MCP_HTTP_RATE_LIMIT"] = "1000000";
        env["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "defender-mcp-bench-empty-config");
        if (redis is not null)
        {
            env["DEFENDER_MCP_REDIS"] = redis;
            env["DEFENDER_MCP_REDIS_PREFIX"] = "bench-" + Guid.NewGuid().ToString("N");
        }

        var servers = new List<Process>();
        var sessions = new List<McpClient>();
        try
        {
            for (var i = 0; i < Replicas; i++)
            {
                var server = StartServer(env);
                servers.Add(server);
                var url = await WaitForUrlAsync(server).ConfigureAwait(false);
                for (var s = 0; s < sessionsPerReplica; s++)
                {
                    sessions.Add(await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = url, TransportMode = HttpTransportMode.StreamableHttp })).ConfigureAwait(false));
                }
            }

            var list = await sessions[0].CallToolAsync("list_incidents", new Dictionary<string, object?> { ["limit"] = 1 }).ConfigureAwait(false);
            var incident = ((JsonElement)list.StructuredContent!).GetProperty("incidents")[0].GetProperty("id").GetString()!;
            // One warm-up write per replica: JIT, token and connections, so the timed calls measure the steady state.
            for (var i = 0; i < Replicas; i++)
            {
                await WriteAsync(sessions[i * sessionsPerReplica], incident, "warm-up").ConfigureAwait(false);
            }

            var times = new List<double>();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(sessions.Select(async (session, index) =>
            {
                for (var c = 0; c < callsPerSession; c++)
                {
                    var call = Stopwatch.StartNew();
                    await WriteAsync(session, incident, $"bench {index}.{c}").ConfigureAwait(false);
                    lock (times)
                    {
                        times.Add(call.Elapsed.TotalMilliseconds);
                    }
                }
            })).ConfigureAwait(false);
            var elapsed = watch.Elapsed;
            times.Sort();
            return (times, elapsed);
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var server in servers)
            {
                server.Kill(entireProcessTree: false);
                await server.WaitForExitAsync().ConfigureAwait(false);
                server.Dispose();
            }
        }
    }

    private static async Task WriteAsync(McpClient session, string incident, string comment)
    {
        var result = await session.CallToolAsync("add_incident_comment", new Dictionary<string, object?> { ["incident_id"] = incident, ["comment"] = comment }).ConfigureAwait(false);
        if (result.IsError == true)
        {
            throw new InvalidOperationException("a benchmark write failed: " + JsonSerializer.Serialize(result.StructuredContent));
        }
    }

    // Each shared-state step alone, 8 at a time, against the same Redis: what one write adds is two budget scripts and
    // two rate-limit scripts; a hunting result adds one put (and one get on the replica that pages it).
    private static async Task OperationsAsync(int port)
    {
        using var redis = RedisConnection.Connect(new RedisSettings($"127.0.0.1:{port}", null, "bench-ops-" + Guid.NewGuid().ToString("N"), null), NullLogger.Instance);
        var budget = new RedisActionBudgetStore(redis);
        var ledger = new RedisConfirmationLedger(redis);
        var signingKey = await ledger.SigningKeyAsync(BenchSupport.Ct).ConfigureAwait(false);
        var windows = new RedisRateWindows(redis, "bench", TimeProvider.System, NullLogger.Instance);
        var results = new RedisResultCacheStore(redis, 256L * 1024 * 1024);
        var entry = new byte[16 * 1024];
        await results.PutAsync("hr_bench", entry, TimeSpan.FromMinutes(5), BenchSupport.Ct).ConfigureAwait(false);
        var quota = new RateQuota(1_000_000, 10_000_000);
        var operations = new (string Name, Func<int, Task> Run)[]
        {
            ("budget check-and-spend (Lua)", _ => budget.TryReserveAsync("bench", 1_000_000, 1, BenchSupport.Ct)),
            ("confirmation token spend (key check and SET NX, Lua)", i => ledger.TrySpendAsync("t" + i.ToString(CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N"), signingKey, DateTimeOffset.UtcNow.AddMinutes(5), BenchSupport.Ct)),
            ("rate-limit take (Lua)", _ => windows.TryTakeAsync("bench", quota, BenchSupport.Ct).AsTask()),
            ("hunting result put, 16 KB (Lua)", i => results.PutAsync("hr_" + i.ToString(CultureInfo.InvariantCulture), entry, TimeSpan.FromMinutes(5), BenchSupport.Ct)),
            ("hunting result get, 16 KB", _ => results.GetAsync("hr_bench", BenchSupport.Ct)),
        };
        Console.WriteLine("| shared-state operation | ops | median | p95 | ops/s (8 concurrent) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, run) in operations)
        {
            const int Count = 2000;
            for (var i = 0; i < 100; i++)
            {
                await run(i).ConfigureAwait(false);
            }

            var times = new List<double>(Count);
            var next = -1;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Count)
                {
                    var op = Stopwatch.StartNew();
                    await run(i).ConfigureAwait(false);
                    lock (times)
                    {
                        times.Add(op.Elapsed.TotalMilliseconds);
                    }
                }
            })).ConfigureAwait(false);
            var elapsed = watch.Elapsed;
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Count} | {Percentile(times, 0.5):F3} ms | {Percentile(times, 0.95):F3} ms | {Count / elapsed.TotalSeconds:F0} |"));
        }

        Console.WriteLine();
    }

    private static Process StartRedis(string binary, int port, string folder)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", folder })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return process;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("redis-server did not start");
    }

    private static Process StartServer(Dictionary<string, string?> env)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { BenchSupport.ServerDll, "serve", "--transport", "http", "--urls", "http://127.0.0.1:0", "--allow-anonymous-loopback" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }

    private static async Task<Uri> WaitForUrlAsync(Process server)
    {
        server.OutputDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        while (await server.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                // Keep draining stderr (the audit trail) so the server never blocks on a full pipe.
                _ = Task.Run(async () => { while (await server.StandardError.ReadLineAsync().ConfigureAwait(false) is not null) { } });
                return new Uri(match.Groups[1].Value);
            }
        }

        throw new InvalidOperationException("the server exited before listening");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Row(string state, int sessions, (List<double> Times, TimeSpan Elapsed) run) => string.Create(CultureInfo.InvariantCulture,
        $"| {state} | {Replicas} × {sessions} | {run.Times.Count} | {run.Times.Count / run.Elapsed.TotalSeconds:F1} | {Percentile(run.Times, 0.5):F2} ms | {Percentile(run.Times, 0.95):F2} ms |");

    [GeneratedRegex(@"serving MCP over Streamable HTTP at (http\S+/mcp)")]
    private static partial Regex Listening();
}
