using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;
using static DefenderMcp.Bench.BenchSupport;

namespace DefenderMcp.Bench;

/// <summary>
/// The server measured against a baseline in the same run: cold start against a bare SDK server, per-call against a
/// direct call to the emulator, fan-out against its ideal, memory against idle plus the cache cap. Ratios hold across
/// machines; absolute times do not (the machine is shared).
/// </summary>
internal static class ServerBenchmarks
{
    private const string HuntColumns = "Timestamp, DeviceId, DeviceName, ActionType, FileName, FolderPath, SHA1, SHA256, MD5, FileSize, ProcessId, ProcessCommandLine, ProcessIntegrityLevel, AccountDomain, AccountName, AccountSid, InitiatingProcessFileName, InitiatingProcessId, InitiatingProcessCommandLine, ReportId";

    /// <summary>
    /// Process start to the first tools/list answer: bare SDK server, configured server, --demo (alternating runs);
    /// with <paramref name="readyToRun"/>, both published ReadyToRun for linux-x64 (as the tool package ships).
    /// </summary>
    public static async Task StartupAsync(int runs, bool readyToRun)
    {
        var published = readyToRun ? Directory.CreateTempSubdirectory("defender-mcp-r2r-").FullName : null;
        try
        {
            var bareDll = published is null ? BareDll : PublishReadyToRun("bench/BareMcpServer", "BareMcpServer.dll", published);
            var serverDll = published is null ? ServerDll : PublishReadyToRun("src/DefenderMcp", "DefenderMcp.dll", published);
            var build = readyToRun ? "ReadyToRun (linux-x64)"
                : Environment.GetEnvironmentVariable("BENCH_SERVER_DLL") is not null ? "as given by BENCH_SERVER_DLL / BENCH_BARE_DLL"
                : "plain IL (dotnet build)";
            await StartupAsync(runs, bareDll, serverDll, build).ConfigureAwait(false);
        }
        finally
        {
            if (published is not null)
            {
                Directory.Delete(published, recursive: true);
            }
        }
    }

    private static async Task StartupAsync(int runs, string bareDll, string serverDll, string build)
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), Ct).ConfigureAwait(false);
        var configured = SingleTenantEnvironment(emulator);
        var demoEnv = WithServerSettings(ModelContextProtocol.Client.StdioClientTransportOptions.GetDefaultEnvironmentVariables());
        var bare = new List<double>();
        var ours = new List<double>();
        var demo = new List<double>();
        for (var i = 0; i < runs + 1; i++)
        {
            var b = await StartToToolsListAsync(bareDll, configured).ConfigureAwait(false);
            var o = await StartToToolsListAsync(serverDll, configured).ConfigureAwait(false);
            var d = await StartToToolsListAsync(serverDll, demoEnv, "--demo").ConfigureAwait(false);
            if (i > 0)
            {
                // The first round warms the OS file cache (and fills the demo key cache); it is not counted.
                bare.Add(b);
                ours.Add(o);
                demo.Add(d);
            }
        }

        Header();
        Console.WriteLine("| start to first tools/list | median | p95 | ratio (median) |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| bare SDK server (baseline) | {Ms(Median(bare))} | {Ms(P95(bare))} | 1.00× |");
        Console.WriteLine($"| DefenderMcp, one configured tenant | {Ms(Median(ours))} | {Ms(P95(ours))} | {Ratio(Median(ours) / Median(bare))} of bare |");
        Console.WriteLine($"| DefenderMcp --demo | {Ms(Median(demo))} | {Ms(P95(demo))} | {Ratio(Median(demo) / Median(ours))} of configured |");
        Console.WriteLine($"\n{runs} alternating runs after one uncounted round; both servers {build}.");
    }

    private static async Task<double> StartToToolsListAsync(string dll, Dictionary<string, string?> env, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        await using var client = await ConnectAsync(dll, env, args).ConfigureAwait(false);
        var tools = await client.ListToolsAsync(cancellationToken: Ct).ConfigureAwait(false);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        return tools.Count > 0 ? elapsed : throw new InvalidOperationException("no tools");
    }

    /// <summary>The first tool call of a fresh server (it needs a token), and the first call of a second tenant.</summary>
    public static async Task FirstCallAsync(int runs)
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), Ct).ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("defender-mcp-bench-").FullName;
        try
        {
            var env = TenantsFileEnvironment(emulator, folder);
            var first = new List<double>();
            var idleFirst = new List<double>();
            var second = new List<double>();
            var tokens = new List<double>();
            var direct = new List<double>();
            using var directClient = new DirectClient(emulator, emulator.GetTenant("fabrikam"));
            var path = await ListAlertsRequestAsync(emulator, env).ConfigureAwait(false);
            for (var i = 0; i < runs; i++)
            {
                await using var client = await ConnectAsync(ServerDll, env).ConfigureAwait(false);
                first.Add(await TimeAsync(() => CallAsync(client, "list_alerts", new() { ["tenant"] = "contoso" })).ConfigureAwait(false));
                second.Add(await TimeAsync(() => CallAsync(client, "list_alerts", new() { ["tenant"] = "fabrikam" })).ConfigureAwait(false));
                tokens.Add(await TimeAsync(() => directClient.RequestTokenAsync("https://graph.microsoft.com/.default")).ConfigureAwait(false));
                direct.Add(await TimeAsync(() => directClient.SendAsync(HttpMethod.Get, path, null)).ConfigureAwait(false));
                await using var idle = await ConnectIdleAsync(ServerDll, env).ConfigureAwait(false);
                idleFirst.Add(await TimeAsync(() => CallAsync(idle, "list_alerts", new() { ["tenant"] = "contoso" })).ConfigureAwait(false));
            }

            Header();
            Console.WriteLine("| first call after start (list_alerts) | median | p95 |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| first tenant's first call (token + call) | {Ms(Median(first))} | {Ms(P95(first))} |");
            Console.WriteLine($"| first call after tools/list and {IdleBeforeFirstCall.TotalSeconds:0} s idle (another fresh server) | {Ms(Median(idleFirst))} | {Ms(P95(idleFirst))} |");
            Console.WriteLine($"| second tenant's first call (token + call) | {Ms(Median(second))} | {Ms(P95(second))} |");
            Console.WriteLine($"| direct token request (client secret) | {Ms(Median(tokens))} | {Ms(P95(tokens))} |");
            Console.WriteLine($"| direct warm GET of the same request | {Ms(Median(direct))} | {Ms(P95(direct))} |");
            Console.WriteLine($"\nSecond tenant's first call minus a direct token request: {Ms(Median(second) - Median(tokens))} (median). {runs} fresh servers.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Warm per-call time of list_alerts and a small hunt through the server, against the same request sent directly
    /// and sent by a tool of the bare SDK server (the floor that the SDK and stdio alone cost).
    /// </summary>
    /// <remarks>
    /// The client keeps Defender's own quotas (Graph 150/min, hunting 45/min per tenant), so each session is a fresh
    /// server that stays under them: 5 warm-up rounds, then 80 list calls and 35 hunts, each interleaved with its
    /// direct and bare twins so all three see the same machine.
    /// </remarks>
    public static async Task PerCallAsync(int sessions, int latencyMs = 0)
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), Ct).ConfigureAwait(false);
        var env = SingleTenantEnvironment(emulator);
        var path = await ListAlertsRequestAsync(emulator, env).ConfigureAwait(false);
        if (latencyMs > 0)
        {
            // As fan-out does: every emulator request from here on waits this long first, like a real Defender call.
            using var control = emulator.CreateControlClient();
            await control.AddFaultAsync(new FaultSpec { Status = 0, DelayMs = latencyMs, Count = 0 }, Ct).ConfigureAwait(false);
        }

        using var direct = new DirectClient(emulator, emulator.GetTenant("contoso"));
        const string Query = "DeviceProcessEvents | take 10";
        const string HuntPath = "v1.0/security/runHuntingQuery";
        var huntBody = JsonSerializer.Serialize(new { Query, Timespan = "P1D" });
        var listArgs = new Dictionary<string, object?>();
        var huntArgs = new Dictionary<string, object?> { ["query"] = Query, ["timespan"] = "P1D" };
        var bareListArgs = new Dictionary<string, object?> { ["method"] = "GET", ["path"] = path };
        var bareHuntArgs = new Dictionary<string, object?> { ["method"] = "POST", ["path"] = HuntPath, ["body"] = huntBody };
        var bareEnv = BareDirectEnvironment(emulator, emulator.GetTenant("contoso"));
        List<double> listServer = [], listDirect = [], listBare = [], huntServer = [], huntDirect = [], huntBare = [];
        List<int> huntIndex = [];
        for (var session = 0; session < sessions; session++)
        {
            await using var client = await ConnectAsync(ServerDll, env).ConfigureAwait(false);
            await using var bare = await ConnectAsync(BareDll, bareEnv).ConfigureAwait(false);
            for (var i = -5; i < 80; i++)
            {
                var ls = await TimeAsync(() => CallAsync(client, "list_alerts", listArgs)).ConfigureAwait(false);
                var ld = await TimeAsync(() => direct.SendAsync(HttpMethod.Get, path, null)).ConfigureAwait(false);
                var lb = await TimeAsync(() => BareCallAsync(bare, bareListArgs)).ConfigureAwait(false);
                double hs = 0, hd = 0, hb = 0;
                if (i < 35)
                {
                    hs = await TimeAsync(() => CallAsync(client, "query_advanced_hunting", huntArgs)).ConfigureAwait(false);
                    hd = await TimeAsync(() => direct.SendAsync(HttpMethod.Post, HuntPath, huntBody)).ConfigureAwait(false);
                    hb = await TimeAsync(() => BareCallAsync(bare, bareHuntArgs)).ConfigureAwait(false);
                }

                if (i >= 0)
                {
                    listServer.Add(ls);
                    listDirect.Add(ld);
                    listBare.Add(lb);
                    if (i < 35)
                    {
                        huntServer.Add(hs);
                        huntDirect.Add(hd);
                        huntBare.Add(hb);
                        huntIndex.Add(i);
                    }
                }
            }

            // Both quotas are per minute: the next session starts in a fresh window.
            if (session + 1 < sessions)
            {
                await Task.Delay(TimeSpan.FromSeconds(61)).ConfigureAwait(false);
            }
        }

        Header();
        var suffix = latencyMs > 0 ? $", {latencyMs} ms upstream" : string.Empty;
        PrintPerCall([("list_alerts" + suffix, listServer, listDirect, listBare), ("query_advanced_hunting (10 rows)" + suffix, huntServer, huntDirect, huntBare)]);
        var upstream = latencyMs > 0 ? $"**{latencyMs} ms injected upstream latency** on every emulator request (the emulator's fault injection, as in fan-out)" : "loopback emulator, no injected latency";
        PrintSlowest("query_advanced_hunting", huntServer, huntDirect, huntBare, huntIndex);
        Console.WriteLine($"\n{sessions} sessions (fresh servers each); {upstream}; both servers over stdio through the official SDK client; direct = HttpClient to the emulator with a cached token; bare = the same request from a tool of bench/BareMcpServer.");
    }

    /// <summary>
    /// Where in a session the slowest calls fall (the call's index after the warm-up rounds): a tail made of the first
    /// calls of each session is warm-up, one spread over the session is not.
    /// </summary>
    private static void PrintSlowest(string name, List<double> server, List<double> direct, List<double> bare, List<int> index)
    {
        var count = Math.Max(1, server.Count / 20);
        string Slowest(List<double> times) => string.Join(", ", Enumerable.Range(0, times.Count).OrderByDescending(k => times[k] - direct[k]).Take(count)
            .Select(k => $"#{index[k]} +{(times[k] - direct[k]).ToString("F1", CultureInfo.InvariantCulture)}"));
        Console.WriteLine($"\n{name}, the slowest {count} calls over direct, by index in its session: DefenderMcp {Slowest(server)}; bare {Slowest(bare)}");
    }

    /// <summary>
    /// Steady state, for profiling: after a warm-up (10 s and three rounds per tenant, so every tenant holds its tokens
    /// and tiered compilation has settled), list_alerts and a
    /// small hunt in a loop for <paramref name="seconds"/>, rotating over <paramref name="tenants"/> emulator tenants so
    /// the client's own per-tenant quotas never bind; the same requests sent directly and by the bare server alternate
    /// with them. Prints the server processes' ids first (attach perf or dotnet-trace to them).
    /// </summary>
    public static async Task SteadyAsync(int seconds, int tenants)
    {
        var keys = Enumerable.Range(1, tenants).Select(i => "t" + i.ToString("D3", CultureInfo.InvariantCulture)).ToArray();
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions { TenantKeys = keys }, Ct).ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("defender-mcp-bench-").FullName;
        try
        {
            var env = TenantsFileEnvironment(emulator, folder);
            var path = await ListAlertsRequestAsync(emulator, env).ConfigureAwait(false);
            const string Query = "DeviceProcessEvents | take 10";
            const string HuntPath = "v1.0/security/runHuntingQuery";
            var huntBody = JsonSerializer.Serialize(new { Query, Timespan = "P1D" });
            var bareListArgs = new Dictionary<string, object?> { ["method"] = "GET", ["path"] = path };
            var bareHuntArgs = new Dictionary<string, object?> { ["method"] = "POST", ["path"] = HuntPath, ["body"] = huntBody };
            using var direct = new DirectClient(emulator, emulator.Tenants[0]);
            await using var client = await ConnectAsync(ServerDll, env).ConfigureAwait(false);
            var serverPid = ChildPid("DefenderMcp.dll");
            await using var bare = await ConnectAsync(BareDll, BareDirectEnvironment(emulator, emulator.Tenants[0])).ConfigureAwait(false);
            Console.Error.WriteLine($"server pid {serverPid}, bare pid {ChildPid("BareMcpServer.dll")}");
            List<double> listServer = [], listDirect = [], listBare = [], huntServer = [], huntDirect = [], huntBare = [];
            // The client's quotas per tenant (Graph 150/min, hunting 45/min), kept with a margin: a tenant at its quota sits out.
            var lists = keys.ToDictionary(k => k, _ => new Queue<DateTime>());
            var hunts = keys.ToDictionary(k => k, _ => new Queue<DateTime>());
            var loop = new SteadyLoop(seconds, keys);
            while (loop.Next(out _))
            {
                var warm = loop.Warm;
                var tenant = loop.NextTenant();
                if (SteadyLoop.Take(lists[tenant], 140))
                {
                    var ls = await TimeAsync(() => CallAsync(client, "list_alerts", new() { ["tenant"] = tenant })).ConfigureAwait(false);
                    var ld = await TimeAsync(() => direct.SendAsync(HttpMethod.Get, path, null)).ConfigureAwait(false);
                    var lb = await TimeAsync(() => BareCallAsync(bare, bareListArgs)).ConfigureAwait(false);
                    if (!warm)
                    {
                        listServer.Add(ls);
                        listDirect.Add(ld);
                        listBare.Add(lb);
                    }
                }

                if (SteadyLoop.Take(hunts[tenant], 40))
                {
                    var hs = await TimeAsync(() => CallAsync(client, "query_advanced_hunting", new() { ["tenant"] = tenant, ["query"] = Query, ["timespan"] = "P1D" })).ConfigureAwait(false);
                    var hd = await TimeAsync(() => direct.SendAsync(HttpMethod.Post, HuntPath, huntBody)).ConfigureAwait(false);
                    var hb = await TimeAsync(() => BareCallAsync(bare, bareHuntArgs)).ConfigureAwait(false);
                    if (!warm)
                    {
                        huntServer.Add(hs);
                        huntDirect.Add(hd);
                        huntBare.Add(hb);
                    }
                }
            }

            Header();
            PrintPerCall([("list_alerts", listServer, listDirect, listBare), ("query_advanced_hunting (10 rows)", huntServer, huntDirect, huntBare)]);
            Console.WriteLine($"\nSteady state: {seconds} s after a warm-up of at least 10 s and three rounds per tenant, {tenants} tenants in rotation, each kept under the client's own quotas.");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void PrintPerCall(IEnumerable<(string Name, List<double> Server, List<double> Direct, List<double> Bare)> rows)
    {
        Console.WriteLine("| call | direct | bare SDK server | DefenderMcp | bare / direct (SDK + stdio floor) | DefenderMcp / direct | DefenderMcp / bare (what we add) | samples |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (name, server, directTimes, bareTimes) in rows)
        {
            if (server.Count == 0 || directTimes.Count == 0 || bareTimes.Count == 0)
            {
                // A window too short for the client's quota (e.g. hunts at 45 a minute per tenant) measures nothing.
                Console.WriteLine($"| {name} | no samples: measure longer or over more tenants | | | | | | 0 |");
                continue;
            }

            foreach (var (stat, f) in new (string, Func<IReadOnlyList<double>, double>)[] { ("median", Median), ("p95", P95) })
            {
                var (d, b, s) = (f(directTimes), f(bareTimes), f(server));
                Console.WriteLine($"| {name}, {stat} | {Ms(d)} | {Ms(b)} | {Ms(s)} | {Ratio(b / d)} | {Ratio(s / d)} | {Ratio(s / b)} ({(s >= b ? "+" : "−")}{Ms(Math.Abs(s - b))}) | {server.Count} |");
            }
        }
    }

    internal static async Task BareCallAsync(ModelContextProtocol.Client.McpClient client, Dictionary<string, object?> args)
    {
        var result = await client.CallToolAsync("direct", args, cancellationToken: Ct).ConfigureAwait(false);
        if (result.IsError == true)
        {
            throw new InvalidOperationException("the bare server's direct call failed: " + JsonSerializer.Serialize(result.Content));
        }
    }

    /// <summary>Cold and warm fan-out of list_alerts over N emulator tenants with injected latency, against ⌈N/c⌉ × (token + call).</summary>
    /// <remarks>
    /// The ideal's token is a client-secret request; with <paramref name="secrets"/> the server's tenants use client
    /// secrets too (the same credential kind on both sides), otherwise each tenant has its own certificate file, whose
    /// client assertion (an RSA signature per token) the ideal does not include.
    /// The cold row is the first tool call of a fresh server, so it also pays the process's first use of the call path
    /// (JIT, the system trust store, Azure.Identity and MSAL's first token). A second fresh server separates the two:
    /// one call to an extra tenant outside the fan-out warms the process, then the fan-out runs over N tenants that
    /// have neither a client nor a token yet (per-tenant set-up only).
    /// </remarks>
    public static async Task FanOutAsync(IReadOnlyList<int> sizes, int latencyMs, bool secrets)
    {
        Header();
        Console.WriteLine($"Server tenants' credentials: {(secrets ? "client secrets (as the ideal's token request)" : "one certificate file (PFX) per tenant; the ideal's token uses a client secret")}.\n");
        Console.WriteLine($"| tenants | injected latency | direct token | direct call | cold | cold ideal | cold ratio | warm | warm ideal | warm ratio |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var warmedRows = new List<string>();
        var idleRows = new List<string>();
        var directRows = new List<string>();
        var timelineRows = new List<string>();
        var rawRows = new List<string>();
        var overlapRows = new List<string>();
        foreach (var n in sizes)
        {
            // One tenant more than the fan-out: the warmed process's first call goes to it, never to a fanned-out one.
            var keys = Enumerable.Range(1, n + 1).Select(i => "t" + i.ToString("D3", CultureInfo.InvariantCulture)).ToArray();
            await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions { TenantKeys = keys }, Ct).ConfigureAwait(false);
            var folder = Directory.CreateTempSubdirectory("defender-mcp-bench-").FullName;
            var warmedFolder = Directory.CreateTempSubdirectory("defender-mcp-bench-").FullName;
            try
            {
                var env = TenantsFileEnvironment(emulator, folder, secrets, count: n);
                var path = await ListAlertsRequestAsync(emulator, env).ConfigureAwait(false);
                using var control = emulator.CreateControlClient();
                await control.AddFaultAsync(new FaultSpec { Status = 0, DelayMs = latencyMs, Count = 0 }, Ct).ConfigureAwait(false);
                using var direct = new DirectClient(emulator, emulator.Tenants[n - 1]);
                await direct.SendAsync(HttpMethod.Get, path, null).ConfigureAwait(false);
                var token = new List<double>();
                var call = new List<double>();
                for (var i = 0; i < 7; i++)
                {
                    token.Add(await TimeAsync(() => direct.RequestTokenAsync("https://graph.microsoft.com/.default")).ConfigureAwait(false));
                    call.Add(await TimeAsync(() => direct.SendAsync(HttpMethod.Get, path, null)).ConfigureAwait(false));
                }

                var batches = Math.Ceiling(n / 5.0);
                var coldIdeal = batches * (Median(token) + Median(call));
                var warmIdeal = batches * Median(call);
                // A fan-out that gets waiting tenants' tokens while the first slots call cannot beat one token and then the calls.
                var overlapIdeal = Median(token) + (batches * Median(call));
                double sdkCold, rawCold, warmedCold;
                await using (var client = await ConnectAsync(ServerDll, env).ConfigureAwait(false))
                {
                    var args = new Dictionary<string, object?> { ["tenant"] = "*", ["limit"] = 1 };
                    var cold = await TimeAsync(() => CheckedFanOutAsync(client, args, n)).ConfigureAwait(false);
                    var warm = new List<double>();
                    for (var i = 0; i < 3; i++)
                    {
                        warm.Add(await TimeAsync(() => CheckedFanOutAsync(client, args, n)).ConfigureAwait(false));
                    }

                    Console.WriteLine($"| {n} | {latencyMs} ms | {Ms(Median(token))} | {Ms(Median(call))} | {Ms(cold)} | {Ms(coldIdeal)} | {Ratio(cold / coldIdeal)} | {Ms(Median(warm))} | {Ms(warmIdeal)} | {Ratio(Median(warm) / warmIdeal)} |");
                    timelineRows.Add(await TimelineRowAsync(control, n, path, "DefenderMcp, warm", () => CheckedFanOutAsync(client, args, n)).ConfigureAwait(false));
                    directRows.Add(await DirectFanOutRowAsync(emulator, control, n, latencyMs, path, Median(warm), warmIdeal, timelineRows).ConfigureAwait(false));
                    (var rawRow, rawCold) = await RawClientFanOutRowAsync(env, n, latencyMs, cold, coldIdeal, Median(warm), warmIdeal).ConfigureAwait(false);
                    rawRows.Add(rawRow);
                    sdkCold = cold;
                }

                // The same N tenants, cold, in a fresh server whose process was warmed by one fan-out-shaped call
                // to the extra tenant (the fan-out code, the token path and the TLS trust store are all used once).
                var warmedEnv = TenantsFileEnvironment(emulator, warmedFolder, secrets);
                await using (var client = await ConnectAsync(ServerDll, warmedEnv).ConfigureAwait(false))
                {
                    var first = await TimeAsync(() => CheckedFanOutAsync(client, new() { ["tenant"] = new[] { keys[n] }, ["limit"] = 1 }, 1)).ConfigureAwait(false);
                    var cold = await TimeAsync(() => CheckedFanOutAsync(client, new() { ["tenant"] = keys[..n], ["limit"] = 1 }, n)).ConfigureAwait(false);
                    warmedRows.Add($"| {n} | {latencyMs} ms | {Ms(first)} | {Ms(cold)} | {Ms(coldIdeal)} | {Ratio(cold / coldIdeal)} |");
                    warmedCold = cold;
                }

                // The cold row again, as a client that lists the tools and waits before its first call (a model
                // takes seconds to pick one) sees it: a third fresh server, tools/list, idle, then the fan-out.
                await using (var client = await ConnectIdleAsync(ServerDll, env).ConfigureAwait(false))
                {
                    var cold = await TimeAsync(() => CheckedFanOutAsync(client, new() { ["tenant"] = "*", ["limit"] = 1 }, n)).ConfigureAwait(false);
                    idleRows.Add($"| {n} | {latencyMs} ms | {Ms(cold)} | {Ms(coldIdeal)} | {Ratio(cold / coldIdeal)} |");
                    overlapRows.Add($"| {n} | {latencyMs} ms | {Ms(overlapIdeal)} | {Ratio(sdkCold / overlapIdeal)} | {Ratio(rawCold / overlapIdeal)} | {Ratio(warmedCold / overlapIdeal)} | {Ratio(cold / overlapIdeal)} |");
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
                Directory.Delete(warmedFolder, recursive: true);
            }
        }

        Console.WriteLine("\nFan-out concurrency 5 (the default); ideal = ⌈N/5⌉ × (direct token + direct call) cold, ⌈N/5⌉ × direct call warm; warm is the median of 3.");
        Console.WriteLine("\nCold fan-out in a warmed process (a second fresh server; its first call goes to one extra tenant outside the fan-out, then the fan-out runs over the N tenants, none of which has a client or a token yet):\n");
        Console.WriteLine("| tenants | injected latency | first call (extra tenant) | cold fan-out after it | cold ideal | cold ratio (per-tenant set-up only) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in warmedRows)
        {
            Console.WriteLine(row);
        }

        Console.WriteLine("\nWarm fan-out against a direct fan-out (HttpClient to each tenant with a cached token, 5 in flight, median of 3; the same emulator and latency):\n");
        Console.WriteLine("| tenants | injected latency | warm fan-out (DefenderMcp) | direct fan-out | warm ideal | direct fan-out / ideal | DefenderMcp / direct fan-out |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var row in directRows)
        {
            Console.WriteLine(row);
        }

        Console.WriteLine("\nOne more warm fan-out of each side, timed by the emulator's request log (when each list request was answered, the 50 ms included): the first answer after the call was sent, the median time between an answer and the answer five later (one slot's cycle), and the time from the last answer to the whole fan-out's result in the client's hands (the server: the last page's parse, the envelope, stdio and the client's parse; the direct side: reading the last body):\n");
        Console.WriteLine("| tenants | side | total | first answer | slot cycle (median) | after the last answer |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in timelineRows)
        {
            Console.WriteLine(row);
        }

        Console.WriteLine("\nThe cold and warm fan-outs again through a raw JSON-RPC client (another fresh server: its first call right after initialize, then the median of 3 warm ones): the request line written and the response line read with no parsing beyond its id (the cold one is also read whole to check every tenant answered), so the SDK client's parse of the result (in the bench process) is left out and what remains is the server and the pipes:\n");
        Console.WriteLine("| tenants | injected latency | response bytes | cold, SDK client (above) | cold, raw client | cold ideal | raw cold / ideal | warm, SDK client (above) | warm, raw client | warm ideal | raw warm / ideal |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rawRows)
        {
            Console.WriteLine(row);
        }

        Console.WriteLine($"\nCold fan-out after tools/list and {IdleBeforeFirstCall.TotalSeconds:0} s idle (a third fresh server; the first call as a client that lists the tools first and a model that takes its time see it):\n");
        Console.WriteLine("| tenants | injected latency | cold fan-out after idle | cold ideal | cold ratio |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var row in idleRows)
        {
            Console.WriteLine(row);
        }

        Console.WriteLine("\nThe same cold fan-outs against the overlapped ideal, one direct token + ⌈N/5⌉ × direct call: the least a fan-out that gets its waiting tenants' tokens ahead (as DefenderMcp does since eb478e4) could take:\n");
        Console.WriteLine("| tenants | injected latency | overlapped ideal | right after initialize, SDK client | right after initialize, raw client | warmed process | after tools/list and idle |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var row in overlapRows)
        {
            Console.WriteLine(row);
        }
    }

    /// <summary>
    /// The warm fan-out's own baseline, measured rather than computed: the same request sent directly by HttpClient to
    /// each of the N tenants (tokens and connections made in an untimed round first), 5 in flight as the server's
    /// fan-out, median of 3. Where the warm ideal (⌈N/5⌉ × one call alone) assumes five concurrent calls cost what one
    /// costs, this row shows what five at once cost the emulator and the machine with no MCP server in the way.
    /// </summary>
    private static async Task<string> DirectFanOutRowAsync(DefenderEmulator emulator, EmulatorControlClient control, int n, int latencyMs, string path, double warm, double warmIdeal, List<string> timelineRows)
    {
        var clients = emulator.Tenants.Take(n).Select(t => new DirectClient(emulator, t)).ToList();
        try
        {
            await DirectFanOutAsync(clients, path).ConfigureAwait(false);
            var times = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                times.Add(await TimeAsync(() => DirectFanOutAsync(clients, path)).ConfigureAwait(false));
            }

            var direct = Median(times);
            timelineRows.Add(await TimelineRowAsync(control, n, path, "direct fan-out", () => DirectFanOutAsync(clients, path)).ConfigureAwait(false));
            return $"| {n} | {latencyMs} ms | {Ms(warm)} | {Ms(direct)} | {Ms(warmIdeal)} | {Ratio(direct / warmIdeal)} | {Ratio(warm / direct)} |";
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// One fan-out timed from the emulator's request log, so that a fan-out's excess over the ideal can be placed: before
    /// the first upstream answer (set-up), in each slot's cycle (per-tenant work between one answer and the slot's next
    /// request), or after the last answer (the result's assembly and delivery, which the ideal does not count).
    /// </summary>
    private static async Task<string> TimelineRowAsync(EmulatorControlClient control, int n, string path, string side, Func<Task> fanOut)
    {
        await control.ClearRequestsAsync(Ct).ConfigureAwait(false);
        var sent = DateTimeOffset.UtcNow;
        await fanOut().ConfigureAwait(false);
        var done = DateTimeOffset.UtcNow;
        var answers = (await control.GetRequestsAsync(Ct).ConfigureAwait(false))
            .Where(r => r.Path.TrimStart('/') == path.Split('?')[0])
            .Select(r => r.Timestamp).Order().ToList();
        if (answers.Count != n)
        {
            throw new InvalidOperationException($"the timed fan-out reached the emulator {answers.Count} times for {n} tenants");
        }

        var cycles = answers.Zip(answers.Skip(5), (a, b) => (b - a).TotalMilliseconds).ToList();
        var cycle = cycles.Count > 0 ? Ms(Median(cycles)) : "n/a";
        return $"| {n} | {side} | {Ms((done - sent).TotalMilliseconds)} | {Ms((answers[0] - sent).TotalMilliseconds)} | {cycle} | {Ms((done - answers[^1]).TotalMilliseconds)} |";
    }

    /// <summary>
    /// The warm fan-out through <see cref="RawJsonRpcClient"/>: the same server build and tenants, with no SDK client in
    /// the bench, so a result's parse on the client side (tens of KB of structured content and text per 50 tenants) is
    /// not counted against the server.
    /// </summary>
    private static async Task<(string Row, double Cold)> RawClientFanOutRowAsync(Dictionary<string, string?> env, int n, int latencyMs, double sdkCold, double coldIdeal, double sdkWarm, double warmIdeal)
    {
        await using var raw = await RawJsonRpcClient.StartServerAsync(ServerDll, env).ConfigureAwait(false);
        const string Arguments = """{"tenant":"*","limit":1}""";
        var call = RawJsonRpcClient.ToolCallTemplate("list_alerts", Arguments);
        // The first call of a fresh server right after initialize, as the cold row above.
        var cold = await TimeAsync(() => CheckedRawFanOutAsync(raw, Arguments)).ConfigureAwait(false);
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            times.Add(await TimeAsync(() => raw.CallAsync(call)).ConfigureAwait(false));
        }

        // The timed calls only check the JSON-RPC and tool error flags; one more, untimed, checks every tenant answered.
        await CheckedRawFanOutAsync(raw, Arguments).ConfigureAwait(false);

        return ($"| {n} | {latencyMs} ms | {raw.LastLineBytes.ToString(CultureInfo.InvariantCulture)} | {Ms(sdkCold)} | {Ms(cold)} | {Ms(coldIdeal)} | {Ratio(cold / coldIdeal)} | {Ms(sdkWarm)} | {Ms(Median(times))} | {Ms(warmIdeal)} | {Ratio(Median(times) / warmIdeal)} |", cold);
    }

    private static async Task CheckedRawFanOutAsync(RawJsonRpcClient raw, string arguments)
    {
        var line = await raw.RequestAsync("tools/call", $$"""{"name":"list_alerts","arguments":{{arguments}}}""").ConfigureAwait(false);
        if (line.Contains("\"isError\":true", StringComparison.Ordinal) || line.Contains("\"error\":{", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the raw client's fan-out had an error: " + line[..Math.Min(line.Length, 2000)]);
        }
    }

    private static async Task DirectFanOutAsync(IReadOnlyList<DirectClient> clients, string path)
    {
        using var gate = new SemaphoreSlim(5);
        await Task.WhenAll(clients.Select(async client =>
        {
            await gate.WaitAsync(Ct).ConfigureAwait(false);
            try
            {
                await client.SendAsync(HttpMethod.Get, path, null).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
    }

    /// <summary>How long the idle rows wait between tools/list and the first call.</summary>
    private static readonly TimeSpan IdleBeforeFirstCall = TimeSpan.FromSeconds(1);

    /// <summary>Connects, lists the tools and waits <see cref="IdleBeforeFirstCall"/>, as a real client does before a model's first call.</summary>
    private static async Task<ModelContextProtocol.Client.McpClient> ConnectIdleAsync(string dll, Dictionary<string, string?> env)
    {
        var client = await ConnectAsync(dll, env).ConfigureAwait(false);
        await client.ListToolsAsync(cancellationToken: Ct).ConfigureAwait(false);
        await Task.Delay(IdleBeforeFirstCall, Ct).ConfigureAwait(false);
        return client;
    }

    private static async Task CheckedFanOutAsync(ModelContextProtocol.Client.McpClient client, Dictionary<string, object?> args, int tenants)
    {
        var result = await CallAsync(client, "list_alerts", args).ConfigureAwait(false);
        var entries = result.GetProperty("results").EnumerateArray().ToArray();
        var failed = entries.Count(e => e.TryGetProperty("error", out _));
        if (entries.Length != tenants || failed > 0)
        {
            throw new InvalidOperationException($"fan-out answered {entries.Length} tenants, {failed} with errors: {entries.FirstOrDefault(e => e.TryGetProperty("error", out _))}");
        }
    }

    /// <summary>Resident memory of the server idle and after twelve large hunts (the result cache keeps each).</summary>
    public static async Task MemoryAsync(int rows, int hunts)
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), Ct).ConfigureAwait(false);
        using var control = emulator.CreateControlClient();
        await control.SetTableRowCountAsync("contoso", "DeviceProcessEvents", rows, Ct).ConfigureAwait(false);
        var env = SingleTenantEnvironment(emulator);
        await using var client = await ConnectAsync(ServerDll, env).ConfigureAwait(false);
        await CallAsync(client, "list_alerts", []).ConfigureAwait(false);
        await CallAsync(client, "query_advanced_hunting", new() { ["query"] = "DeviceProcessEvents | take 10", ["timespan"] = "P30D" }).ConfigureAwait(false);
        await Task.Delay(2000).ConfigureAwait(false);
        var idle = ChildResidentMiB("DefenderMcp.dll");
        var after = new List<double>();
        var huntArgs = new Dictionary<string, object?> { ["query"] = $"DeviceProcessEvents | project {HuntColumns} | take {rows}", ["timespan"] = "P30D", ["max_rows"] = 10 };
        var peak = idle;
        for (var i = 0; i < hunts; i++)
        {
            var result = await CallAsync(client, "query_advanced_hunting", huntArgs).ConfigureAwait(false);
            if (result.GetProperty("row_count").GetInt32() <= 0)
            {
                throw new InvalidOperationException("no rows");
            }

            var now = ChildResidentMiB("DefenderMcp.dll");
            peak = Math.Max(peak, now);
            after.Add(now);
        }

        await Task.Delay(5000).ConfigureAwait(false);
        var settled = ChildResidentMiB("DefenderMcp.dll");
        const double Cap = 256;
        Header();
        Console.WriteLine("| resident memory (VmRSS) | MiB |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| idle (after one list and one small hunt) | {idle:F0} |");
        Console.WriteLine($"| after each of {hunts} hunts ({rows:N0} rows, 20 columns) | {string.Join(", ", after.Select(a => a.ToString("F0", CultureInfo.InvariantCulture)))} |");
        Console.WriteLine($"| peak seen between hunts | {peak:F0} |");
        Console.WriteLine($"| 5 s after the last hunt | {settled:F0} |");
        Console.WriteLine($"| goal: idle + 1.25 × cache cap ({Cap:F0} MiB) | {idle + (1.25 * Cap):F0} |");
        Console.WriteLine($"\nSettled / goal: {Ratio(settled / (idle + (1.25 * Cap)))}; peak / goal: {Ratio(peak / (idle + (1.25 * Cap)))}.");
    }

    // The request the server sends for list_alerts, from the emulator's request log, replayed by the direct client.
    internal static async Task<string> ListAlertsRequestAsync(DefenderEmulator emulator, Dictionary<string, string?> env)
    {
        using var control = emulator.CreateControlClient();
        await using (var client = await ConnectAsync(ServerDll, env).ConfigureAwait(false))
        {
            await control.ClearRequestsAsync(Ct).ConfigureAwait(false);
            await CallAsync(client, "list_alerts", new() { ["limit"] = 25 }).ConfigureAwait(false);
        }

        var request = (await control.GetRequestsAsync(Ct).ConfigureAwait(false)).Last(r => r.Method == "GET" && !r.Path.Contains("oauth2", StringComparison.Ordinal));
        var query = request.Query.Length == 0 || request.Query.StartsWith('?') ? request.Query : "?" + request.Query;
        return request.Path.TrimStart('/') + query;
    }
}
