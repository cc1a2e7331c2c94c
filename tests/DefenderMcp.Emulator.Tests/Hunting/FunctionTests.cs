using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Hunting;
using DefenderMcp.Emulator.Tests.Data;

namespace DefenderMcp.Emulator.Tests.Hunting;

/// <summary>
/// The documented hunting functions the emulator runs, against a story tenant's generated data: FileProfile enriches
/// the dropped payload as the file API describes it, AssignedIPAddresses and DeviceFromIP read the adapter reports.
/// </summary>
public sealed class FunctionTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly Lazy<TenantData> Contoso = new(() => DataGenerator.Generate(TestTenants.Tenant("contoso"), 0, Now));

    private static TenantData Data => Contoso.Value;

    private static string Victim => Data.Machines.Select(m => m["computerDnsName"]!.GetValue<string>()).First(n => n.Contains("-fin-lt-", StringComparison.Ordinal));

    private static string VictimIp => Data.Machines.First(m => m["computerDnsName"]!.GetValue<string>() == Victim)["lastIpAddress"]!.GetValue<string>();

    private static string VictimId => Data.Machines.First(m => m["computerDnsName"]!.GetValue<string>() == Victim)["id"]!.GetValue<string>();

    private static HuntingQueryResult Hunt(string query) =>
        HuntingEngine.Execute(query, Data.Tables, Now.AddDays(-30), Now, Now, hash => FileFacts.Profile(Data, hash));

    private static object? Cell(HuntingQueryResult result, int row, string column) =>
        result.Rows[row][result.Schema.ToList().FindIndex(c => c.Name == column)];

    [Fact]
    public void FileProfile_enriches_the_dropped_payload_with_what_the_file_api_says()
    {
        var result = Hunt($"DeviceFileEvents | where SHA1 == '{DataGenerator.PayloadSha1}' | project Timestamp, DeviceName, SHA1 | invoke FileProfile(SHA1, 10)");
        var file = FileFacts.Find(Data, DataGenerator.PayloadSha1)!;

        Assert.Equal(2, result.Rows.Count);
        Assert.Equal(["Timestamp", "DeviceName", "SHA1", "SHA256", "MD5", "FileSize", "GlobalPrevalence", "GlobalFirstSeen", "GlobalLastSeen", "Signer", "Issuer", "SignerHash",
            "IsCertificateValid", "IsRootSignerMicrosoft", "SignatureState", "IsExecutable", "ThreatName", "Publisher", "SoftwareName", "ProfileAvailability"], result.Schema.Select(c => c.Name));
        Assert.Equal("Available", Cell(result, 0, "ProfileAvailability"));
        Assert.Equal(file["globalPrevalence"]!.GetValue<int>(), Cell(result, 0, "GlobalPrevalence"));
        Assert.Equal(3, Cell(result, 0, "GlobalPrevalence"));
        Assert.Equal(DataGenerator.PayloadSha256, Cell(result, 0, "SHA256"));
        Assert.Equal("Unsigned", Cell(result, 0, "SignatureState"));
        Assert.Equal(file["determinationValue"]!.GetValue<string>(), Cell(result, 0, "ThreatName"));
        Assert.Equal(true, Cell(result, 0, "IsExecutable"));
    }

    [Fact]
    public void FileProfile_defaults_to_SHA1_marks_unknown_files_missing_and_stops_at_its_limit()
    {
        var signed = Hunt("DeviceProcessEvents | where FileName == 'svchost.exe' | take 1 | project SHA1 | invoke FileProfile()");
        var unknown = Hunt("DeviceProcessEvents | take 1 | project SHA1 = '0000000000000000000000000000000000000000' | invoke FileProfile('SHA1')");
        var limited = Hunt("DeviceProcessEvents | take 3 | project SHA1 | invoke FileProfile(SHA1, 2)");

        Assert.Equal("SignedValid", Cell(signed, 0, "SignatureState"));
        Assert.Equal("Microsoft Windows", Cell(signed, 0, "Signer"));
        Assert.Equal("Missing", Cell(unknown, 0, "ProfileAvailability"));
        Assert.Equal(["Available", "Available", string.Empty], limited.Rows.Select((_, i) => Cell(limited, i, "ProfileAvailability")));
    }

    [Fact]
    public void FileProfile_keeps_the_input_columns_it_shares_and_fills_only_empty_ones()
    {
        var result = Hunt($"DeviceFileEvents | where SHA1 == '{DataGenerator.PayloadSha1}' | take 1 | project SHA1, FileSize, SHA256 = '' | invoke FileProfile()");

        Assert.Equal(482304L, Cell(result, 0, "FileSize"));
        Assert.Equal(DataGenerator.PayloadSha256, Cell(result, 0, "SHA256"));
        Assert.Equal(1, result.Schema.Count(c => c.Name == "FileSize"));
    }

    [Fact]
    public void AssignedIPAddresses_returns_the_device_address_now_and_a_day_ago_by_name_or_id()
    {
        var now = Hunt($"AssignedIPAddresses('{Victim}')");
        var dayAgo = Hunt($"AssignedIPAddresses('{VictimId}', ago(1d)) | project DeviceName, IPAddress, AssignedTime = Timestamp");
        var shortName = Hunt($"let Date = ago(2d); AssignedIPAddresses('{Victim.Split('.')[0]}', Date)");
        var tooEarly = Hunt($"AssignedIPAddresses('{Victim}', ago(45d))");

        Assert.Equal(VictimIp, Assert.Single(now.Rows)[1]);
        Assert.Equal("Private", Cell(now, 0, "IPType"));
        Assert.Equal(6, Cell(now, 0, "NetworkAdapterType"));
        Assert.Equal(Now.AddHours(-1), Cell(now, 0, "Timestamp"));
        Assert.Equal([Victim, VictimIp, Now.AddDays(-1).AddHours(-1)], Assert.Single(dayAgo.Rows));
        Assert.Equal(Now.AddDays(-2).AddHours(-1), Cell(shortName, 0, "Timestamp"));
        Assert.Empty(tooEarly.Rows);
    }

    [Fact]
    public void AssignedIPAddresses_joins_the_network_events_that_reached_the_device()
    {
        var result = Hunt($"AssignedIPAddresses('{Victim}') | project IPAddress | join kind=inner (DeviceLogonEvents | where ActionType == 'LogonSuccess') on $left.IPAddress == $right.RemoteIP | distinct DeviceName, LogonType");

        Assert.Contains(result.Rows, r => ((string)r[0]!).Contains("-srv-file-", StringComparison.Ordinal) && (string)r[1]! == "Network");
    }

    [Fact]
    public void DeviceFromIP_maps_local_addresses_to_devices_and_ignores_public_ones()
    {
        var result = Hunt($"DeviceNetworkEvents | where DeviceName == '{Victim}' | take 20 | project IP = LocalIP | invoke DeviceFromIP()");
        var withTime = Hunt($"DeviceLogonEvents | where isnotempty(RemoteIP) and RemoteIPType == 'Private' | take 5 | invoke DeviceFromIP(RemoteIP, Timestamp)");
        var external = Hunt("DeviceNetworkEvents | where RemoteIPType == 'Public' | take 5 | project IP = RemoteIP | invoke DeviceFromIP()");

        Assert.Equal([VictimIp, VictimId], Assert.Single(result.Rows));
        Assert.Equal(["IP", "DeviceId"], result.Schema.Select(c => c.Name));
        Assert.Contains(withTime.Rows, r => (string)r[0]! == VictimIp && (string)r[1]! == VictimId);
        Assert.Empty(external.Rows);
    }

    [Theory]
    [InlineData("DeviceInfo | invoke SeenBy()", "Unsupported function 'SeenBy'")]
    [InlineData("BehaviorInfo | invoke GetFirstSeenBehaviors()", "Unsupported function 'GetFirstSeenBehaviors'")]
    [InlineData("DeviceInfo | project DeviceId | invoke DeviceFromIP()", "no column 'IP'")]
    [InlineData("DeviceInfo | project DeviceId | invoke FileProfile()", "no column 'SHA1'")]
    [InlineData("DeviceFileEvents | invoke FileProfile(FileName)", "must be SHA1, SHA256")]
    [InlineData("DeviceFileEvents | invoke FileProfile(SHA1, 5000)", "from 1 to 1000")]
    [InlineData("AssignedIPAddresses()", "AssignedIPAddresses(x, y)")]
    public void Unsupported_functions_and_bad_arguments_are_clear_errors(string query, string message)
    {
        var error = Assert.Throws<HuntingQueryException>(() => Hunt(query));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
