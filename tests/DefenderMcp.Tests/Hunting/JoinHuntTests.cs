using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hunting;

/// <summary>Queries with join run end to end: MCP client → query_advanced_hunting → guard → emulator.</summary>
public sealed class JoinHuntTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task The_starter_join_hunt_runs_through_query_advanced_hunting_without_warnings()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var hunts = await server.CallOkAsync("list_saved_hunts");
        var query = hunts.GetProperty("hunts").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "encoded-powershell-c2").GetProperty("query").GetString()!;

        var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = query, ["timespan"] = "P7D", ["tenant"] = "contoso" });

        Assert.Contains("| join kind=inner (", query, StringComparison.Ordinal);
        Assert.Empty(result.GetProperty("warnings").EnumerateArray());
        var row = Assert.Single(result.GetProperty("rows").EnumerateArray());
        Assert.Equal("185.220.101.47", row.GetProperty("RemoteIP").GetString());
        Assert.Equal("adele.vance", row.GetProperty("AccountName").GetString());
        Assert.StartsWith("ctso-fin-lt-", row.GetProperty("DeviceName").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_join_hunt_fans_out_and_the_investigate_device_prompt_query_runs()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var fanned = await server.CallOkAsync("run_saved_hunt", new() { ["name"] = "encoded-powershell-c2", ["tenant"] = "*" });
        var alerts = await server.CallOkAsync("query_advanced_hunting", new()
        {
            ["query"] = "AlertEvidence | where Timestamp > ago(7d) and DeviceName startswith 'ctso-fin-lt-' | join kind=inner AlertInfo on AlertId | project Timestamp, AlertId, Title, Severity",
            ["timespan"] = "P7D",
            ["tenant"] = "contoso",
        });

        var entries = fanned.GetProperty("results").EnumerateArray().ToList();
        Assert.True(entries.Count >= 2, $"{entries.Count} tenants");
        Assert.All(entries, e => Assert.Equal(1, e.GetProperty("result").GetProperty("row_count").GetInt32()));
        Assert.Empty(alerts.GetProperty("warnings").EnumerateArray());
        Assert.NotEmpty(alerts.GetProperty("rows").EnumerateArray());
        Assert.Equal(["Timestamp", "AlertId", "Title", "Severity"], alerts.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("Name").GetString()));
    }
}
