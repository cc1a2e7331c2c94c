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

    // The prompt's hunting filter is run as written: a short host name must find the device's rows, whose DeviceName is
    // the full DNS name (before, "DeviceName =~ 'ctso-fin-lt-011'" matched nothing), and so must the DNS name and the id.
    [Theory]
    [InlineData("ctso-fin-lt-011")]
    [InlineData("ctso-fin-lt-011.contoso.com")]
    [InlineData("699ba6f899c262ff84ab08ea9ea4e2877c207e16")]
    public async Task The_investigate_device_prompt_query_finds_the_device_by_any_name_it_takes(string device)
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var prompt = await server.Client.GetPromptAsync("investigate_device", new Dictionary<string, object?> { ["device"] = device }, cancellationToken: TestContext.Current.CancellationToken);
        var text = Assert.IsType<ModelContextProtocol.Protocol.TextContentBlock>(Assert.Single(prompt.Messages).Content).Text;
        var start = text.IndexOf("AlertEvidence |", StringComparison.Ordinal);
        var query = text[start..text.IndexOf("; then get_alert", start, StringComparison.Ordinal)];
        var alerts = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = query, ["timespan"] = "P7D" });

        Assert.Empty(alerts.GetProperty("warnings").EnumerateArray());
        Assert.Contains(alerts.GetProperty("rows").EnumerateArray(), r => r.GetProperty("Title").GetString() == "Suspicious PowerShell command line");
    }
}
