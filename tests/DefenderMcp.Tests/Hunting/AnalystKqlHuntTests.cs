using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hunting;

/// <summary>
/// Analysts' hunts that need parse, base64_decode_tostring and render, end to end: MCP client → query_advanced_hunting
/// → guard → emulator over HTTPS.
/// </summary>
public sealed class AnalystKqlHuntTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task The_encoded_powershell_is_decoded_with_parse_and_base64_and_a_render_leaves_the_rows()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new()
        {
            ["query"] = """
                DeviceProcessEvents
                | where Timestamp > ago(7d) and ProcessCommandLine has "-EncodedCommand"
                | parse ProcessCommandLine with * "-EncodedCommand " Encoded
                | extend Decoded = replace_string(base64_decode_tostring(Encoded), "\u0000", "")
                | parse kind=regex Decoded with * @"DownloadString\('" Url @"'\)"
                | project Timestamp, DeviceName, AccountName, Url
                | render table
                """,
            ["timespan"] = "P7D",
            ["tenant"] = "contoso",
        });

        Assert.Empty(result.GetProperty("warnings").EnumerateArray());
        var row = Assert.Single(result.GetProperty("rows").EnumerateArray());
        Assert.Equal("http://185.220.101.47/a.ps1", row.GetProperty("Url").GetString());
        Assert.Equal("adele.vance", row.GetProperty("AccountName").GetString());
    }

    [Fact]
    public async Task Alerts_join_their_machine_evidence_once_per_device()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("query_advanced_hunting", new()
        {
            ["query"] = """
                AlertInfo
                | where Timestamp > ago(7d)
                | join kind=inner (AlertEvidence | where EntityType == "Machine" | project AlertId, DeviceName) on AlertId
                | summarize Devices = dcount(DeviceName), Rows = count() by AlertId, Title
                """,
            ["timespan"] = "P7D",
            ["tenant"] = "contoso",
        });

        var rows = result.GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(r.GetProperty("Devices").GetInt64(), r.GetProperty("Rows").GetInt64()));
        Assert.Contains(rows, r => r.GetProperty("Title").GetString() == "Lateral movement using PsExec to a file server" && r.GetProperty("Rows").GetInt64() == 2);
    }
}
