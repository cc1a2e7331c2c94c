using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Hunting;
using DefenderMcp.Emulator.Tests.Data;

namespace DefenderMcp.Emulator.Tests.Hunting;

/// <summary>The new operators over a generated tenant: the attack story's process and its C2 connection line up.</summary>
public sealed class StoryJoinTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static HuntingQueryResult Hunt(string tenant, int index, string query)
    {
        var data = DataGenerator.Generate(TestTenants.Tenant(tenant), index, Now);
        return HuntingEngine.Execute(query, data.Tables, Now.AddDays(-7), Now);
    }

    private const string EncodedPowerShellThenC2 = """
        DeviceProcessEvents
        | where FileName =~ "powershell.exe" and ProcessCommandLine has "-EncodedCommand"
        | project DeviceId, DeviceName, ProcessTime = Timestamp, AccountName
        | join kind=inner (
            DeviceNetworkEvents
            | where RemoteIPType == "Public"
            | project DeviceId, ConnectionTime = Timestamp, RemoteIP, RemotePort, InitiatingProcessFileName
          ) on DeviceId
        | where InitiatingProcessFileName =~ "powershell.exe" and ConnectionTime between (ProcessTime .. 10m)
        | project DeviceName, AccountName, ProcessTime, ConnectionTime, RemoteIP, RemotePort, DeviceId, DeviceId1
        """;

    [Theory]
    [InlineData("contoso", 0, "ctso-fin-lt-", "adele.vance", "185.220.101.47")]
    [InlineData("fabrikam", 1, "fbrk-fin-lt-", "jonas.berg", "91.219.236.18")]
    public void The_encoded_powershell_process_joins_its_c2_connection(string tenant, int index, string victimPrefix, string user, string attackerIp)
    {
        var result = Hunt(tenant, index, EncodedPowerShellThenC2);

        var row = Assert.Single(result.Rows);
        var start = Now.AddHours(-20);
        Assert.StartsWith(victimPrefix, (string)row[0]!, StringComparison.Ordinal);
        Assert.Equal(user, row[1]);
        Assert.Equal(start.AddMinutes(9), row[2]);
        Assert.Equal(start.AddMinutes(9).AddSeconds(4), row[3]);
        Assert.Equal(attackerIp, row[4]);
        Assert.Equal(80, row[5]);
        Assert.Equal(row[6], row[7]);
    }

    [Fact]
    public void Leftanti_finds_the_encoded_powershell_without_a_public_connection_and_lookup_adds_device_facts()
    {
        var anti = Hunt("contoso", 0, """
            DeviceProcessEvents
            | where FileName =~ "powershell.exe" and ProcessCommandLine has "-EncodedCommand"
            | join kind=leftanti (DeviceNetworkEvents | where RemoteIPType == "Public" and InitiatingProcessFileName =~ "powershell.exe") on DeviceId
            """);
        var looked = Hunt("contoso", 0, """
            DeviceProcessEvents
            | where FileName =~ "powershell.exe" and ProcessCommandLine has "-EncodedCommand"
            | project DeviceId, ProcessCommandLine
            | lookup kind=inner (DeviceInfo | summarize arg_max(Timestamp, OSPlatform) by DeviceId) on DeviceId
            | project DeviceId, OSPlatform
            """);

        Assert.Empty(anti.Rows);
        var row = Assert.Single(looked.Rows);
        Assert.False(string.IsNullOrEmpty(row[1] as string));
    }

    [Fact]
    public void Union_and_mv_expand_walk_the_story_across_tables()
    {
        var timeline = Hunt("contoso", 0, """
            union withsource=Source DeviceProcessEvents, DeviceNetworkEvents, DeviceFileEvents
            | where Timestamp between (datetime(2026-02-28T16:00:00Z) .. 15m)
            | where DeviceName startswith "ctso-fin-lt-" and InitiatingProcessAccountName == "adele.vance"
            | summarize Rows = count() by Source
            | sort by Source asc
            """);
        var urls = Hunt("contoso", 0, """
            UrlClickEvents
            | where ActionType == "ClickAllowed" and ThreatTypes has "Phish" and AccountUpn == "adele.vance@contoso.com"
            | mv-expand Url = parse_json(UrlChain) to typeof(string)
            | project Url
            """);

        Assert.Contains(timeline.Rows, r => (string)r[0]! == "DeviceNetworkEvents");
        Assert.Contains(timeline.Rows, r => (string)r[0]! == "DeviceProcessEvents");
        Assert.Contains(timeline.Rows, r => (string)r[0]! == "DeviceFileEvents");
        Assert.Equal(["https://contoso-payroll-update.com/payroll/verify?u=adele.vance"], urls.Rows.Select(r => r[0]));
    }
}
