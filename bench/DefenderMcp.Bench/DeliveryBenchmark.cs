using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DefenderMcp.Emulator;
using static DefenderMcp.Bench.BenchSupport;

namespace DefenderMcp.Bench;

/// <summary>
/// Where a result's time goes after the tool has its answer: a raw JSON-RPC client (no SDK client) against a server
/// writing its audit file, so that each call's wall time splits into the tool's own time (the audit line's
/// <c>duration_ms</c>, whole milliseconds) and what follows it (the SDK's serialization and stdio), for a 50-tenant
/// fan-out, one tenant with many alerts and one with a single alert; then, with 50 ms on every upstream request, the
/// fan-out's last upstream answer (the emulator's request log) against the audit line and the response.
/// </summary>
internal static class DeliveryBenchmark
{
    public static async Task RunAsync(int calls)
    {
        var keys = Enumerable.Range(1, 50).Select(i => "t" + i.ToString("D3", CultureInfo.InvariantCulture)).ToArray();
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions { TenantKeys = keys }, Ct).ConfigureAwait(false);
        var folder = Directory.CreateTempSubdirectory("defender-mcp-delivery-").FullName;
        try
        {
            var env = TenantsFileEnvironment(emulator, folder, secrets: true);
            var audit = Path.Combine(folder, "audit.jsonl");
            env["DEFENDER_MCP_AUDIT_FILE"] = audit;
            await using var raw = await RawJsonRpcClient.StartServerAsync(ServerDll, env).ConfigureAwait(false);
            var kinds = new (string Label, string Args)[]
            {
                ("fan-out 50, limit 1", """{"tenant":"*","limit":1}"""),
                ("one tenant, limit 100", """{"tenant":"t001","limit":100}"""),
                ("one tenant, limit 1", """{"tenant":"t001","limit":1}"""),
            };
            Console.WriteLine("| call | response bytes | total median | tool (audit duration) median | after the tool median | after the tool p95 |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var (label, args) in kinds)
            {
                var template = RawJsonRpcClient.ToolCallTemplate("list_alerts", args);
                for (var i = 0; i < 5; i++)
                {
                    await raw.CallAsync(template).ConfigureAwait(false);
                }

                List<double> total = [], tool = [], after = [];
                for (var i = 0; i < calls; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await raw.CallAsync(template).ConfigureAwait(false);
                    var ms = watch.Elapsed.TotalMilliseconds;
                    var last = File.ReadLines(audit).Last();
                    var d = JsonDocument.Parse(last).RootElement.GetProperty("duration_ms").GetDouble();
                    total.Add(ms);
                    tool.Add(d);
                    after.Add(ms - d);
                }

                Console.WriteLine($"| {label} | {raw.LastLineBytes} | {Ms(Median(total))} | {Ms(Median(tool))} | {Ms(Median(after))} | {Ms(P95(after))} |");
            }
            using var control = emulator.CreateControlClient();
            await control.AddFaultAsync(new DefenderMcp.Emulator.Control.FaultSpec { Status = 0, DelayMs = 50, Count = 0 }, Ct).ConfigureAwait(false);
            var fan = RawJsonRpcClient.ToolCallTemplate("list_alerts", """{"tenant":"*","limit":1}""");
            await raw.CallAsync(fan).ConfigureAwait(false);
            List<double> toolTail = [], delivery = [], totals = [];
            for (var i = 0; i < calls / 3; i++)
            {
                await control.ClearRequestsAsync(Ct).ConfigureAwait(false);
                var sent = DateTimeOffset.UtcNow;
                await raw.CallAsync(fan).ConfigureAwait(false);
                var done = DateTimeOffset.UtcNow;
                var d = JsonDocument.Parse(File.ReadLines(audit).Last()).RootElement.GetProperty("duration_ms").GetDouble();
                var lastAnswer = (await control.GetRequestsAsync(Ct).ConfigureAwait(false)).Where(r => r.Path.Contains("alerts", StringComparison.Ordinal)).Max(r => r.Timestamp);
                toolTail.Add(d - (lastAnswer - sent).TotalMilliseconds);
                delivery.Add((done - sent).TotalMilliseconds - d);
                totals.Add((done - sent).TotalMilliseconds);
            }

            Console.WriteLine();
            Console.WriteLine("| fan-out 50, 50 ms upstream | total median | last answer to the audit line (tool's tail, ±1 ms) median / p95 | audit line to the response read (SDK, stdio) median / p95 |");
            Console.WriteLine("|---|---|---|---|");
            Console.WriteLine($"| raw client | {Ms(Median(totals))} | {Ms(Median(toolTail))} / {Ms(P95(toolTail))} | {Ms(Median(delivery))} / {Ms(P95(delivery))} |");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
