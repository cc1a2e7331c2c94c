using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DefenderMcp.Emulator;
using static DefenderMcp.Bench.BenchSupport;

namespace DefenderMcp.Bench;

/// <summary>
/// Where the per-call floor goes (<c>floor</c>): the same list and hunt as <c>steady</c>, each sent five ways in turn
/// (directly; to the bare SDK server and to DefenderMcp through the SDK client, as in <c>per-call</c>; and to two more
/// processes of each server as raw JSON-RPC lines with no SDK client), plus a <c>ping</c> and the bare server's
/// <c>echo</c> tool over raw lines, and lines of the responses' sizes through <c>cat</c> (pipes and process wake-ups
/// alone, each the size of one of the responses). SDK client − raw is the client SDK's share; raw − direct − cat is the server side (the SDK's stdio
/// transport, JSON-RPC dispatch and result serialization, plus the server's own tool work). The existing sides are
/// measured as in <c>per-call</c>; the raw ones are extra.
/// </summary>
internal static class FloorBenchmark
{
    private const string Query = "DeviceProcessEvents | take 10";
    private const string HuntPath = "v1.0/security/runHuntingQuery";

    public static async Task RunAsync(int seconds, int tenants)
    {
        var keys = Enumerable.Range(1, tenants).Select(i => "t" + i.ToString("D3", CultureInfo.InvariantCulture)).ToArray();
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions { TenantKeys = keys }, Ct).ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("defender-mcp-bench-").FullName;
        try
        {
            var env = TenantsFileEnvironment(emulator, folder);
            var bareEnv = BareDirectEnvironment(emulator, emulator.Tenants[0]);
            var path = await ServerBenchmarks.ListAlertsRequestAsync(emulator, env).ConfigureAwait(false);
            var huntBody = JsonSerializer.Serialize(new { Query, Timespan = "P1D" });
            var bareListArgs = new Dictionary<string, object?> { ["method"] = "GET", ["path"] = path };
            var bareHuntArgs = new Dictionary<string, object?> { ["method"] = "POST", ["path"] = HuntPath, ["body"] = huntBody };
            var bareListRaw = RawJsonRpcClient.ToolCallTemplate("direct", JsonSerializer.Serialize(bareListArgs));
            var bareHuntRaw = RawJsonRpcClient.ToolCallTemplate("direct", JsonSerializer.Serialize(bareHuntArgs));
            var echoRaw = RawJsonRpcClient.ToolCallTemplate("echo", """{"text":"hello"}""");

            using var direct = new DirectClient(emulator, emulator.Tenants[0]);
            await using var client = await ConnectAsync(ServerDll, env).ConfigureAwait(false);
            await using var bare = await ConnectAsync(BareDll, bareEnv).ConfigureAwait(false);
            await using var raw = await RawJsonRpcClient.StartServerAsync(ServerDll, env).ConfigureAwait(false);
            await using var bareRaw = await RawJsonRpcClient.StartServerAsync(BareDll, new Dictionary<string, string?>(bareEnv) { ["BARE_MCP_ECHO"] = "1" }).ConfigureAwait(false);
            await using var cat = RawJsonRpcClient.StartCat();

            var lists = keys.ToDictionary(k => k, _ => new Queue<DateTime>());
            var hunts = keys.ToDictionary(k => k, _ => new Queue<DateTime>());
            var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            void Add(bool counted, string name, double ms)
            {
                if (counted)
                {
                    (samples.TryGetValue(name, out var list) ? list : samples[name] = []).Add(ms);
                }
            }

            int listBytes = 0, huntBytes = 0, bareListBytes = 0, bareHuntBytes = 0;
            byte[] catSmall = [.. Enumerable.Repeat((byte)'a', 100)];
            var catLines = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            (double OursList, double OursHunt, double BareList, double BareHunt)? cpu = null;
            var loop = new SteadyLoop(seconds, keys);
            while (loop.Next(out var warmedUp))
            {
                var warm = loop.Warm;
                if (warmedUp)
                {
                    foreach (var (name, size) in new[] { ("list ours", listBytes), ("list bare", bareListBytes), ("hunt ours", huntBytes), ("hunt bare", bareHuntBytes) })
                    {
                        catLines[name] = [.. Enumerable.Repeat((byte)'a', size)];
                    }
                }

                if (!warm && cpu is null)
                {
                    cpu = await CpuPerCallAsync(raw, bareRaw, keys, lists, hunts, bareListRaw, bareHuntRaw).ConfigureAwait(false);
                    loop.RestartMeasuring();
                }

                var counted = !warm;
                var tenant = loop.NextTenant();
                var tenantArgs = JsonSerializer.Serialize(new Dictionary<string, string> { ["tenant"] = tenant });
                if (SteadyLoop.Take(lists[tenant], 140, 2))
                {
                    Add(counted, "list direct", await TimeAsync(() => direct.SendAsync(HttpMethod.Get, path, null)).ConfigureAwait(false));
                    Add(counted, "list bare sdk", await TimeAsync(() => ServerBenchmarks.BareCallAsync(bare, bareListArgs)).ConfigureAwait(false));
                    Add(counted, "list bare raw", await TimeAsync(() => bareRaw.CallAsync(bareListRaw)).ConfigureAwait(false));
                    bareListBytes = bareRaw.LastLineBytes;
                    Add(counted, "list ours sdk", await TimeAsync(() => CallAsync(client, "list_alerts", new() { ["tenant"] = tenant })).ConfigureAwait(false));
                    Add(counted, "list ours raw", await TimeAsync(() => raw.CallAsync(RawJsonRpcClient.ToolCallTemplate("list_alerts", tenantArgs))).ConfigureAwait(false));
                    listBytes = raw.LastLineBytes;
                }

                if (SteadyLoop.Take(hunts[tenant], 40, 2))
                {
                    var huntArgs = JsonSerializer.Serialize(new Dictionary<string, string> { ["tenant"] = tenant, ["query"] = Query, ["timespan"] = "P1D" });
                    Add(counted, "hunt direct", await TimeAsync(() => direct.SendAsync(HttpMethod.Post, HuntPath, huntBody)).ConfigureAwait(false));
                    Add(counted, "hunt bare sdk", await TimeAsync(() => ServerBenchmarks.BareCallAsync(bare, bareHuntArgs)).ConfigureAwait(false));
                    Add(counted, "hunt bare raw", await TimeAsync(() => bareRaw.CallAsync(bareHuntRaw)).ConfigureAwait(false));
                    bareHuntBytes = bareRaw.LastLineBytes;
                    Add(counted, "hunt ours sdk", await TimeAsync(() => CallAsync(client, "query_advanced_hunting", new() { ["tenant"] = tenant, ["query"] = Query, ["timespan"] = "P1D" })).ConfigureAwait(false));
                    Add(counted, "hunt ours raw", await TimeAsync(() => raw.CallAsync(RawJsonRpcClient.ToolCallTemplate("query_advanced_hunting", huntArgs))).ConfigureAwait(false));
                    huntBytes = raw.LastLineBytes;
                }

                Add(counted, "ping bare raw", await TimeAsync(bareRaw.PingAsync).ConfigureAwait(false));
                Add(counted, "ping ours raw", await TimeAsync(raw.PingAsync).ConfigureAwait(false));
                Add(counted, "echo bare raw", await TimeAsync(() => bareRaw.CallAsync(echoRaw)).ConfigureAwait(false));
                Add(counted, "cat 100 B", await TimeAsync(() => cat.EchoAsync(catSmall)).ConfigureAwait(false));
                foreach (var (name, line) in catLines)
                {
                    Add(counted, "cat " + name, await TimeAsync(() => cat.EchoAsync(line)).ConfigureAwait(false));
                }
            }

            Header();
            Print(samples, "list_alerts", "list", listBytes, bareListBytes);
            Print(samples, "query_advanced_hunting (10 rows)", "hunt", huntBytes, bareHuntBytes);
            Console.WriteLine();
            Console.WriteLine("| round trip with no upstream call | median | p95 | samples |");
            Console.WriteLine("|---|---|---|---|");
            foreach (var (name, label) in new[]
            {
                ("ping bare raw", "`ping` to the bare SDK server, raw line (stdio transport + JSON-RPC dispatch + pipes)"),
                ("ping ours raw", "`ping` to DefenderMcp, raw line"),
                ("echo bare raw", "bare server's `echo` tool, raw line (+ the SDK's tools/call pipeline)"),
                ("cat 100 B", "a 100-byte line through `cat` (pipes + two process wake-ups, no server)"),
                ("cat list ours", $"a {listBytes:N0}-byte line (DefenderMcp's list_alerts response) through `cat`"),
                ("cat list bare", $"a {bareListBytes:N0}-byte line (the bare server's list response) through `cat`"),
                ("cat hunt ours", $"a {huntBytes:N0}-byte line (DefenderMcp's hunt response) through `cat`"),
                ("cat hunt bare", $"a {bareHuntBytes:N0}-byte line (the bare server's hunt response) through `cat`"),
            })
            {
                var s = samples[name];
                Console.WriteLine($"| {label} | {Ms2(Median(s))} | {Ms2(P95(s))} | {s.Count} |");
            }

            Console.WriteLine();
            Console.WriteLine($"| server CPU per call (user + system of the raw server process over {CpuCalls} calls of one kind in a row, background threads included) | DefenderMcp | bare SDK server |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| list_alerts | {Ms2(cpu!.Value.OursList)} | {Ms2(cpu.Value.BareList)} |");
            Console.WriteLine($"| query_advanced_hunting (10 rows) | {Ms2(cpu.Value.OursHunt)} | {Ms2(cpu.Value.BareHunt)} |");

            Console.WriteLine();
            Console.WriteLine("| JSON work on one hunt response, in this process (warm, median of 200) | DefenderMcp's response | bare server's response |");
            Console.WriteLine("|---|---|---|");
            var huntCall = JsonSerializer.Serialize(new { name = "query_advanced_hunting", arguments = new Dictionary<string, string> { ["tenant"] = keys[0], ["query"] = Query, ["timespan"] = "P1D" } });
            var ours = await raw.RequestAsync("tools/call", huntCall).ConfigureAwait(false);
            var theirs = await bareRaw.RequestAsync("tools/call", JsonSerializer.Serialize(new { name = "direct", arguments = bareHuntArgs })).ConfigureAwait(false);
            var (oursWrite, oursRead) = SdkJsonWork(ours);
            var (bareWrite, bareRead) = SdkJsonWork(theirs);
            Console.WriteLine($"| server's last steps: the CallToolResult to a JsonNode, then the JSON-RPC response to UTF-8 (as the SDK's request handler and stdio transport do) | {Ms2(oursWrite)} | {Ms2(bareWrite)} |");
            Console.WriteLine($"| client's first steps: the line to a JSON-RPC message, its result to a CallToolResult (as the SDK client does) | {Ms2(oursRead)} | {Ms2(bareRead)} |");

            Console.WriteLine($"\nSteady state: {seconds} s after a warm-up of at least 10 s and three rounds per tenant, {tenants} tenants in rotation. sdk = the official SDK client (as in per-call); raw = the same request as one JSON-RPC line on the server's stdin, the response line read back with no parsing but its id (separate server processes).");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Print(Dictionary<string, List<double>> samples, string title, string prefix, int ourBytes, int bareBytes)
    {
        Console.WriteLine();
        Console.WriteLine($"**{title}** (response line: DefenderMcp {ourBytes:N0} bytes, bare {bareBytes:N0} bytes)\n");
        Console.WriteLine("| stat | direct | bare, SDK client | bare, raw | DefenderMcp, SDK client | DefenderMcp, raw | SDK client's share (bare / ours) | bare server side (raw − direct − cat) | DefenderMcp server side | samples |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var cat = samples[$"cat {prefix} ours"];
        var catBare = samples[$"cat {prefix} bare"];
        foreach (var (stat, f) in new (string, Func<IReadOnlyList<double>, double>)[] { ("median", Median), ("p95", P95) })
        {
            var d = f(samples[prefix + " direct"]);
            var bs = f(samples[prefix + " bare sdk"]);
            var br = f(samples[prefix + " bare raw"]);
            var os = f(samples[prefix + " ours sdk"]);
            var or = f(samples[prefix + " ours raw"]);
            var bareCat = f(catBare);
            Console.WriteLine($"| {stat} | {Ms2(d)} | {Ms2(bs)} | {Ms2(br)} | {Ms2(os)} | {Ms2(or)} | {Ms2(bs - br)} / {Ms2(os - or)} | {Ms2(br - d - bareCat)} | {Ms2(or - d - f(cat))} | {samples[prefix + " ours sdk"].Count} |");
        }
    }

    private const int CpuCalls = 200;

    // CPU time per call, which the machine's load does not inflate the way it does wall time: each raw server runs
    // CpuCalls calls of one kind, the process's CPU counters read before and after. DefenderMcp's calls rotate over the
    // tenants within the same quota windows as the timed loop.
    private static async Task<(double, double, double, double)> CpuPerCallAsync(
        RawJsonRpcClient raw,
        RawJsonRpcClient bareRaw,
        string[] keys,
        Dictionary<string, Queue<DateTime>> lists,
        Dictionary<string, Queue<DateTime>> hunts,
        (byte[], byte[]) bareList,
        (byte[], byte[]) bareHunt)
    {
        async Task<double> Measure(RawJsonRpcClient client, Func<int, Task> call)
        {
            var before = client.CpuMilliseconds;
            for (var i = 0; i < CpuCalls; i++)
            {
                await call(i).ConfigureAwait(false);
            }

            return (client.CpuMilliseconds - before) / CpuCalls;
        }

        async Task OursAsync(int i, string tool, Dictionary<string, Queue<DateTime>> windows, int max, Func<string, string> args)
        {
            for (var k = 0; ; k++)
            {
                var tenant = keys[(i + k) % keys.Length];
                if (SteadyLoop.Take(windows[tenant], max, 1))
                {
                    await raw.CallAsync(RawJsonRpcClient.ToolCallTemplate(tool, args(tenant))).ConfigureAwait(false);
                    return;
                }

                if (k >= keys.Length)
                {
                    await Task.Delay(1000).ConfigureAwait(false);
                    k = -1;
                }
            }
        }

        var oursList = await Measure(raw, i => OursAsync(i, "list_alerts", lists, 140, t => JsonSerializer.Serialize(new Dictionary<string, string> { ["tenant"] = t }))).ConfigureAwait(false);
        var oursHunt = await Measure(raw, i => OursAsync(i, "query_advanced_hunting", hunts, 40, t => JsonSerializer.Serialize(new Dictionary<string, string> { ["tenant"] = t, ["query"] = Query, ["timespan"] = "P1D" }))).ConfigureAwait(false);
        var bareListCpu = await Measure(bareRaw, _ => bareRaw.CallAsync(bareList)).ConfigureAwait(false);
        var bareHuntCpu = await Measure(bareRaw, _ => bareRaw.CallAsync(bareHunt)).ConfigureAwait(false);
        return (oursList, oursHunt, bareListCpu, bareHuntCpu);
    }

    // The SDK's own serialization of one response, timed in-process: what each side does per call besides the pipes.
    private static (double Write, double Read) SdkJsonWork(string line)
    {
        var options = ModelContextProtocol.McpJsonUtilities.DefaultOptions;
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        var response = (ModelContextProtocol.Protocol.JsonRpcResponse)JsonSerializer.Deserialize<ModelContextProtocol.Protocol.JsonRpcMessage>(bytes, options)!;
        var result = response.Result.Deserialize<ModelContextProtocol.Protocol.CallToolResult>(options)!;
        List<double> write = [], read = [];
        for (var i = 0; i < 220; i++)
        {
            var watch = Stopwatch.StartNew();
            var node = JsonSerializer.SerializeToNode(result, options);
            var written = JsonSerializer.SerializeToUtf8Bytes<ModelContextProtocol.Protocol.JsonRpcMessage>(new ModelContextProtocol.Protocol.JsonRpcResponse { Id = response.Id, Result = node }, options);
            var w = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var parsed = (ModelContextProtocol.Protocol.JsonRpcResponse)JsonSerializer.Deserialize<ModelContextProtocol.Protocol.JsonRpcMessage>(written, options)!;
            _ = parsed.Result.Deserialize<ModelContextProtocol.Protocol.CallToolResult>(options);
            var r = watch.Elapsed.TotalMilliseconds;
            if (i >= 20)
            {
                write.Add(w);
                read.Add(r);
            }
        }

        return (Median(write), Median(read));
    }

    // Two decimals: the parts of the floor are tenths of a millisecond or less.
    private static string Ms2(double ms) => ms.ToString("F2", CultureInfo.InvariantCulture) + " ms";
}
