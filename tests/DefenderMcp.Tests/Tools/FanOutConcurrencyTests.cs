using System.Text.Json;
using DefenderMcp.Emulator;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// The fan-out race that bit us: per-call counts written by many tenant tasks at once. A 60-tenant fan-out, called
/// 100 times in a row, must never return the SDK's generic error, must write exactly one audit line per call, and the
/// audit counts must equal the rows the result holds.
/// </summary>
public sealed class FanOutConcurrencyTests : IAsyncLifetime
{
    private const int TenantCount = 60;
    private DefenderEmulator _emulator = null!;

    public async ValueTask InitializeAsync() =>
        _emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { TenantKeys = [.. Enumerable.Range(1, TenantCount).Select(i => $"t{i:D2}")] },
            TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    [Fact]
    public async Task Sixty_tenants_a_hundred_calls_every_call_audited_with_exact_counts()
    {
        await using var server = await ServerHarness.StartAsync(_emulator, s => s with { FanOutConcurrency = 5 });
        const int Calls = 100;
        for (var call = 0; call < Calls; call++)
        {
            // Hunting is limited to 45 calls a minute per tenant, so one call in three hunts and the rest list alerts.
            var hunts = call % 3 == 0;
            var (tool, args, rowsProperty) = hunts switch
            {
                true => ("query_advanced_hunting", new Dictionary<string, object?> { ["query"] = "DeviceInfo | take 3", ["tenant"] = "*" }, "returned_rows"),
                false => ("list_alerts", new Dictionary<string, object?> { ["limit"] = 2, ["tenant"] = "*" }, "count"),
            };
            var result = await server.CallOkAsync(tool, args);

            var entries = result.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(TenantCount, entries.Count);
            Assert.All(entries, e => Assert.True(e.TryGetProperty("result", out _), e.GetRawText()));
            long rows = entries.Sum(e => RowsOf(e.GetProperty("result"), rowsProperty));
            var audit = server.AuditLines();
            Assert.Equal(call + 1, audit.Count(l => l.GetProperty("event").GetString() == "tool_call"));
            var line = audit.Last();
            Assert.Equal(tool, line.GetProperty("tool").GetString());
            Assert.Equal(TenantCount, line.GetProperty("tenants").GetArrayLength());
            var counts = line.GetProperty("counts");
            Assert.Equal(rows, counts.GetProperty(hunts ? "returned_rows" : "items").GetInt64());
            Assert.Equal(0, counts.GetProperty("failed_tenants").GetInt64());
        }
    }

    private static long RowsOf(JsonElement result, string property) =>
        property == "count" ? result.GetProperty("alerts").GetArrayLength() : result.GetProperty(property).GetInt64();
}
