using System.Text.Json;
using DefenderMcp.Emulator;
using DefenderMcp.Tests.Support;
using Json.Schema;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// A fan-out whose tenants' results pass <c>DEFENDER_MCP_FANOUT_BYTE_BUDGET</c> leaves out whole tenants past it, each
/// with <c>result_too_large</c>, through the SDK client against the emulator; the result still matches the tool's
/// outputSchema and the audit line counts the tenants left out and only the items returned.
/// </summary>
public sealed class FanOutByteBudgetTests : IAsyncLifetime
{
    private const int TenantCount = 6;
    private DefenderEmulator _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { TenantKeys = [.. Enumerable.Range(1, TenantCount).Select(i => $"t{i:D2}")] },
            Ct);

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    private static readonly Dictionary<string, object?> AllAlerts = new() { ["tenant"] = "*", ["limit"] = 100 };

    [Fact]
    public async Task Tenants_past_the_budget_get_result_too_large_in_their_place_and_the_audit_line_counts_them()
    {
        int budget;
        await using (var unbounded = await ServerHarness.StartAsync(_emulator))
        {
            var whole = await unbounded.CallOkAsync("list_alerts", AllAlerts);
            var sizes = whole.GetProperty("results").EnumerateArray().Select(e => JsonSerializer.SerializeToUtf8Bytes(e.GetProperty("result")).Length).ToList();
            Assert.Equal(TenantCount, sizes.Count);
            Assert.All(sizes, s => Assert.True(s > 100, $"a tenant's alerts are {s} bytes"));
            // Room for exactly the first two tenants' results.
            budget = sizes[0] + sizes[1];
        }

        await using var server = await ServerHarness.StartAsync(_emulator, s => s with { FanOutByteBudget = budget });
        var result = await server.CallOkAsync("list_alerts", AllAlerts);

        var entries = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([.. Enumerable.Range(1, TenantCount).Select(i => $"t{i:D2}")], entries.Select(e => e.GetProperty("tenant").GetString()));
        Assert.All(entries.Take(2), e => Assert.True(e.TryGetProperty("result", out _), e.GetRawText()));
        foreach (var left in entries.Skip(2))
        {
            var error = left.GetProperty("error");
            Assert.Equal("result_too_large", error.GetProperty("code").GetString());
            Assert.Contains($"tenant '{left.GetProperty("tenant").GetString()}' alone", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var tool = (await server.Client.ListToolsAsync(cancellationToken: Ct)).Single(t => t.Name == "list_alerts").ProtocolTool;
        var schema = JsonSchema.Build(tool.OutputSchema!.Value, baseUri: new Uri($"https://defender-mcp.test/budget/{Guid.NewGuid():N}"));
        Assert.True(schema.Evaluate(result).IsValid, "the trimmed fan-out does not match list_alerts' outputSchema");

        var audit = Assert.Single(server.AuditLines(), l => l.GetProperty("tool").GetString() == "list_alerts");
        Assert.Equal("partial", audit.GetProperty("outcome").GetString());
        Assert.Equal(TenantCount - 2, audit.GetProperty("counts").GetProperty("left_out_tenants").GetInt64());
        // The items counted are those returned: the left-out tenants' alerts were read but not given to the caller.
        var returned = entries.Where(e => e.TryGetProperty("result", out _)).Sum(e => e.GetProperty("result").GetProperty("alerts").GetArrayLength());
        Assert.Equal(returned, audit.GetProperty("counts").GetProperty("items").GetInt64());
    }

    [Fact]
    public async Task The_same_fan_out_within_the_default_budget_keeps_every_tenant()
    {
        await using var server = await ServerHarness.StartAsync(_emulator);

        var result = await server.CallOkAsync("list_alerts", AllAlerts);

        Assert.All(result.GetProperty("results").EnumerateArray(), e => Assert.True(e.TryGetProperty("result", out _), e.GetRawText()));
        var audit = Assert.Single(server.AuditLines(), l => l.GetProperty("tool").GetString() == "list_alerts");
        Assert.False(audit.GetProperty("counts").TryGetProperty("left_out_tenants", out _));
    }

    [Fact]
    public async Task A_left_out_hunt_names_its_cached_result_and_get_hunting_results_pages_it_without_a_second_query()
    {
        var hunt = new Dictionary<string, object?> { ["tenant"] = "*", ["query"] = "DeviceInfo | take 5" };
        int budget;
        await using (var unbounded = await ServerHarness.StartAsync(_emulator))
        {
            var whole = await unbounded.CallOkAsync("query_advanced_hunting", hunt);
            budget = JsonSerializer.SerializeToUtf8Bytes(whole.GetProperty("results")[0].GetProperty("result")).Length;
        }

        await using var server = await ServerHarness.StartAsync(_emulator, s => s with { FanOutByteBudget = budget });
        using var control = _emulator.CreateControlClient();
        var result = await server.CallOkAsync("query_advanced_hunting", hunt);
        var left = result.GetProperty("results").EnumerateArray().Skip(1).First();
        var message = left.GetProperty("error").GetProperty("message").GetString()!;
        var match = System.Text.RegularExpressions.Regex.Match(message, "result_id '([^']+)'");
        Assert.True(match.Success, message);
        await control.ClearRequestsAsync(Ct);

        var page = await server.CallOkAsync("get_hunting_results", new() { ["result_id"] = match.Groups[1].Value });

        Assert.Equal(5, page.GetProperty("rows").GetArrayLength());
        Assert.DoesNotContain(await control.GetRequestsAsync(Ct), r => r.Path.Contains("runHuntingQuery", StringComparison.OrdinalIgnoreCase));
    }
}
