using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Client;
using DefenderMcp.Client.Parsing;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting;
using DefenderMcp.Emulator;
using DefenderMcp.Mcp;
using DefenderMcp.Policy;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Bench;

/// <summary>
/// The per-call hunt taken apart in-process (<c>hunt-stages</c>): each stage the server runs for the bench's 10-row hunt,
/// timed and its allocations counted on its own, all stages alternating in one loop so the machine's load falls on all
/// alike. The upstream call through the Defender client (token cache, pipeline, limiter off, stream parse) is set
/// against the same POST sent by a plain HttpClient; the rest starts from the parsed result.
/// </summary>
internal static class HuntStagesBenchmark
{
    private const string Query = "DeviceProcessEvents | take 10";

    public static async Task RunAsync(int iterations)
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), CancellationToken.None).ConfigureAwait(false);
        var tenant = DemoEnvironment.SettingsFor(emulator, ActionTier.Read, ConfirmationMode.Elicitation).Tenants[0];
        // The client's own limiter off: this loop sends far more than the 45 hunts a minute it allows.
        using var client = DefenderClient.Create(tenant.Connection with { RateLimits = DefenderRateLimits.None });
        using var direct = new DirectClient(emulator, emulator.GetTenant(tenant.Key));
        var huntBody = JsonSerializer.Serialize(new { Query, Timespan = "P1D" });
        var body = await ShapingBenchmark.FetchAsync(emulator, Query, "P1D").ConfigureAwait(false);
        var result = await HuntingResponseReader.ReadAsync(new MemoryStream(body, writable: false), CancellationToken.None).ConfigureAwait(false);
        var timespan = HuntingTimespan.Parse("P1D");
        var run = HuntingRun.Prepare(Query, timespan);
        var cache = new HuntingResultCache(256L * 1024 * 1024, TimeSpan.FromMinutes(30), TimeProvider.System);
        var page = RowPager.Page(result, 0, QueryAdvancedHuntingTool.DefaultMaxRows, null, 64 * 1024);
        var output = Output(result, page);
        var node = HuntingJson.ToNode(output);
        var callResult = ToolResults.Success(HuntingJson.ToNode(output));
        var written = Written(node);
        var joined = System.Text.Encoding.UTF8.GetBytes("[" + string.Join(",", result.Rows.Select(r => System.Text.Encoding.UTF8.GetString(r.Span))) + "]");
        var bareResult = new CallToolResult { Content = [new TextContentBlock { Text = System.Text.Encoding.UTF8.GetString(body) }] };
        var sdk = ModelContextProtocol.McpJsonUtilities.DefaultOptions;

        var stages = new (string Name, Func<Task> Action)[]
        {
            ("upstream: plain HttpClient POST, body read (direct)", () => direct.SendAsync(HttpMethod.Post, "v1.0/security/runHuntingQuery", huntBody)),
            ("upstream: DefenderClient.RunHuntingQueryAsync (pipeline, HTTP, stream parse)", () => client.RunHuntingQueryAsync(Query, "P1D", CancellationToken.None)),
            ("  of which: the stream parse of the body alone (HuntingResponseReader)", () => HuntingResponseReader.ReadAsync(new MemoryStream(body, writable: false), CancellationToken.None)),
            ("KQL guard (HuntingRun.Prepare)", () => Sync(() => HuntingRun.Prepare(Query, timespan))),
            ("result cache put (HuntingResultCache.AddAsync)", () => cache.AddAsync("contoso", Query, "P1D", result, CancellationToken.None)),
            ("first page (RowPager.Page)", () => Sync(() => RowPager.Page(result, 0, QueryAdvancedHuntingTool.DefaultMaxRows, null, 64 * 1024))),
            ("  of which: the joined rows parsed, as before: JsonElement.ParseValue (skip, then parse)", () => Sync(() => ParsedValue(joined))),
            ("  of which: the joined rows parsed, as now: JsonElement.Parse (one pass)", () => Sync(() => JsonElement.Parse(joined.AsSpan()))),
            ("the result record (HuntingQueryOutput)", () => Sync(() => Output(result, page))),
            ("the record to a node (HuntingJson.ToNode)", () => Sync(() => HuntingJson.ToNode(output))),
            ("text + structured content (ToolResults.Success)", () => Sync(() => ToolResults.Success(node))),
            ("  of which: the node written as UTF-8", () => Sync(() => Written(node))),
            ("  of which: the UTF-8 to a string (text block)", () => Sync(() => System.Text.Encoding.UTF8.GetString(written))),
            ("  of which: the UTF-8 parsed (structured content), as before: JsonElement.ParseValue (skip, then parse)", () => Sync(() => ParsedValue(written))),
            ("  of which: the UTF-8 parsed (structured content), as now: JsonElement.Parse (one pass)", () => Sync(() => JsonElement.Parse(written.AsSpan()))),
            ("reference: JsonDocument.Parse of the upstream body", () => Sync(() => { using var d = JsonDocument.Parse(body); return d.RootElement.ValueKind; })),
            ("SDK: CallToolResult to a node, the JSON-RPC response to UTF-8", () => Sync(() => SdkWrite(callResult, sdk))),
            ("  the same for the bare server's result (the upstream body as text, no structured content)", () => Sync(() => SdkWrite(bareResult, sdk))),
        };

        var times = stages.Select(_ => new List<double>()).ToArray();
        var allocated = new long[stages.Length];
        var fullCollections = new int[stages.Length];
        for (var i = -iterations / 10; i < iterations; i++)
        {
            for (var s = 0; s < stages.Length; s++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var gen2Before = GC.CollectionCount(2);
                var watch = Stopwatch.StartNew();
                await stages[s].Action().ConfigureAwait(false);
                var elapsed = watch.Elapsed.TotalMilliseconds;
                var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                if (i >= 0)
                {
                    times[s].Add(elapsed);
                    allocated[s] += bytes;
                    fullCollections[s] += GC.CollectionCount(2) - gen2Before;
                }
            }
        }

        Console.WriteLine($"_.NET {Environment.Version}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; upstream body {body.Length:N0} bytes, {result.Rows.Count} rows_");
        Console.WriteLine("| stage of the 10-row hunt | median | p95 | allocated per call (this thread) | gen2 collections during the stage |");
        Console.WriteLine("|---|---|---|---|---|");
        for (var s = 0; s < stages.Length; s++)
        {
            Console.WriteLine($"| {stages[s].Name} | {Us(BenchSupport.Median(times[s]))} | {Us(BenchSupport.P95(times[s]))} | {allocated[s] / iterations:N0} B | {fullCollections[s]} |");
        }

        Console.WriteLine($"\n{iterations} iterations of every stage in turn after {iterations / 10} warm-ups. Allocations of async stages count this thread only until their first real wait.");
    }

    private static byte[] SdkWrite(CallToolResult result, JsonSerializerOptions options) =>
        JsonSerializer.SerializeToUtf8Bytes<JsonRpcMessage>(new JsonRpcResponse { Id = new RequestId(1), Result = JsonSerializer.SerializeToNode(result, options) }, options);

    private static byte[] Written(System.Text.Json.Nodes.JsonObject node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ToolJson.Options.Encoder, SkipValidation = true }))
        {
            node.WriteTo(writer, ToolJson.Options);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static object ParsedValue(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        return JsonElement.ParseValue(ref reader);
    }

    private static Task Sync(Func<object> action)
    {
        _ = action();
        return Task.CompletedTask;
    }

    private static HuntingQueryOutput Output(HuntingResult result, RowPage page) => new(
        "contoso", "P1D", [.. result.Schema.Select(c => new HuntingColumnOutput(c.Name, c.Type))], page.Rows, result.Rows.Count, page.Rows.Count,
        page.Rows.Count < result.Rows.Count, page.Rows.Count < result.Rows.Count ? "max_rows" : null, [], [], result.BodyBytes, "hr_0123456789abcdefghijkl", new HuntingMetadata(result.Rows.Count, result.Schema.Count, "P1D"));

    private static string Us(double ms) => (ms * 1000).ToString("F0", CultureInfo.InvariantCulture) + " µs";
}
