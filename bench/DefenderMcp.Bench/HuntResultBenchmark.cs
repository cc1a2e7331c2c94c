using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DefenderMcp.Areas.Hunting;
using DefenderMcp.Client;
using DefenderMcp.Client.Parsing;
using DefenderMcp.Emulator;
using DefenderMcp.Mcp;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Bench;

/// <summary>
/// The server's own shaping of the per-call hunt (<c>hunt-result</c>), in-process and alternating so the machine's load
/// falls on both alike: from the parsed upstream result to the MCP result (first page of rows, the result record, the
/// text and structured content), the current code against a copy of the code before the source-generated hunting
/// results (one document per row, the whole record through the reflection resolver to a node, a fresh buffer per result).
/// </summary>
internal static class HuntResultBenchmark
{
    public static async Task RunAsync(int iterations)
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), CancellationToken.None).ConfigureAwait(false);
        var body = await ShapingBenchmark.FetchAsync(emulator, "DeviceProcessEvents | take 10", "P1D").ConfigureAwait(false);
        var result = await HuntingResponseReader.ReadAsync(new MemoryStream(body, writable: false), CancellationToken.None).ConfigureAwait(false);
        var current = Current(result);
        var before = Before(result);
        if (Text(current) != Text(before))
        {
            throw new InvalidOperationException("the two paths wrote different results");
        }

        List<double> currentTimes = [], beforeTimes = [];
        long currentBytes = 0, beforeBytes = 0;
        for (var i = -iterations / 10; i < iterations; i++)
        {
            var (t1, a1) = Time(() => Current(result));
            var (t2, a2) = Time(() => Before(result));
            if (i >= 0)
            {
                currentTimes.Add(t1);
                beforeTimes.Add(t2);
                currentBytes += a1;
                beforeBytes += a2;
            }
        }

        Console.WriteLine($"_.NET {Environment.Version}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; upstream body {body.Length:N0} bytes, {result.Rows.Count} rows; result text {Encoding.UTF8.GetByteCount(Text(current)):N0} bytes_");
        Console.WriteLine("| hunt result shaping (upstream result → MCP result) | median | p95 | allocated per call |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| before: one document per row, reflection serialize to a node, fresh buffer | {Us(BenchSupport.Median(beforeTimes))} | {Us(BenchSupport.P95(beforeTimes))} | {beforeBytes / iterations:N0} B |");
        Console.WriteLine($"| now: source-generated record without rows, rows as nodes over one document, reused buffer | {Us(BenchSupport.Median(currentTimes))} | {Us(BenchSupport.P95(currentTimes))} | {currentBytes / iterations:N0} B |");
        Console.WriteLine($"\n{iterations} alternating iterations of each after {iterations / 10} warm-ups; both write the same bytes (checked).");
    }

    private static (double Ms, long Allocated) Time(Func<CallToolResult> action)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        _ = action();
        return (watch.Elapsed.TotalMilliseconds, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    private static string Us(double ms) => (ms * 1000).ToString("F0", CultureInfo.InvariantCulture) + " µs";

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content[0]).Text;

    private static HuntingQueryOutput Output(HuntingResult result, IReadOnlyList<JsonElement> rows) => new(
        "contoso", "P1D", [.. result.Schema.Select(c => new HuntingColumnOutput(c.Name, c.Type))], rows, result.Rows.Count, rows.Count,
        rows.Count < result.Rows.Count, rows.Count < result.Rows.Count ? "max_rows" : null, [], [], result.BodyBytes, "hr_0123456789abcdefghijkl", new HuntingMetadata(result.Rows.Count, result.Schema.Count, "P1D"));

    private static CallToolResult Current(HuntingResult result)
    {
        var page = RowPager.Page(result, 0, 100, null, 64 * 1024);
        return ToolResults.Success(HuntingJson.ToNode(Output(result, page.Rows)));
    }

    // The code before, copied: each row parsed into its own document and cloned out, the record serialized to a node
    // through the reflection resolver, and the result written into a new buffer.
    private static CallToolResult Before(HuntingResult result)
    {
        var count = RowBudget.Fit(result.Rows, 100, 64 * 1024);
        var rows = new JsonElement[count];
        for (var i = 0; i < count; i++)
        {
            using var doc = JsonDocument.Parse(result.Rows[i]);
            rows[i] = doc.RootElement.Clone();
        }

        var body = JsonSerializer.SerializeToNode(Output(result, rows), ToolJson.Options)!.AsObject();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ToolJson.Options.Encoder, SkipValidation = true }))
        {
            body.WriteTo(writer, ToolJson.Options);
        }

        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = Encoding.UTF8.GetString(buffer.WrittenSpan) }],
            StructuredContent = JsonElement.ParseValue(ref reader),
        };
    }
}
