using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Hunting;

namespace DefenderMcp.Emulator.Tests.Data;

/// <summary>
/// What an analyst saw of the demo data and what the story says: each alert's evidence once per entity, real display
/// names, the story's devices active, and a user linked to the laptop they use and the servers, not to every device.
/// </summary>
public sealed class StoryConsistencyTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string, int, string> Tenants => new() { { "contoso", 0, "adele.vance" }, { "fabrikam", 1, "jonas.berg" } };

    public static TheoryData<string, int> Keys => new() { { "contoso", 0 }, { "fabrikam", 1 } };

    private static HuntingQueryResult Hunt(TenantData data, string query) => HuntingEngine.Execute(query, data.Tables, Now.AddDays(-30), Now);

    private static List<object?> Column(HuntingQueryResult result, string name)
    {
        var index = result.Schema.ToList().FindIndex(c => c.Name == name);
        Assert.True(index >= 0, name);
        return [.. result.Rows.Select(r => r[index])];
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void An_alert_joins_once_per_evidence_entity_and_no_evidence_row_is_repeated(string tenant, int index)
    {
        var data = DataGenerator.Generate(TestTenants.Tenant(tenant), index, Now);

        var joined = Hunt(data, "AlertInfo | join kind=inner AlertEvidence on AlertId | summarize Rows = count() by AlertId");
        var distinct = Hunt(data, "AlertEvidence | distinct AlertId, EntityType, DeviceId, AccountName, FileName, SHA1, RemoteIP, RemoteUrl, RegistryKey, NetworkMessageId, ProcessCommandLine | count");

        Assert.Equal(data.Alerts.Count, Assert.Single(Hunt(data, "AlertInfo | distinct AlertId | count").Rows)[0] is long n ? (int)n : -1);
        var expected = data.Alerts.ToDictionary(a => a["id"]!.GetValue<string>(), a => (long)a["evidence"]!.AsArray().Count);
        Assert.Equal(expected.OrderBy(kv => kv.Key), Column(joined, "AlertId").Zip(Column(joined, "Rows"), (id, rows) => new KeyValuePair<string, long>((string)id!, (long)rows!)).OrderBy(kv => kv.Key));
        Assert.Equal(expected.Values.Sum(), Assert.Single(distinct.Rows)[0]);
    }

    [Fact]
    public void Evidence_entity_types_are_the_ones_defender_hunts_filter_on_so_a_device_filter_gives_each_alert_once()
    {
        var data = DataGenerator.Generate(TestTenants.Tenant("contoso"), 0, Now);

        var types = Column(Hunt(data, "AlertEvidence | distinct EntityType | sort by EntityType asc"), "EntityType");
        var perDevice = Hunt(data, """
            AlertInfo
            | join kind=inner (AlertEvidence | where EntityType == "Machine" | project AlertId, DeviceName) on AlertId
            | summarize Devices = count() by AlertId, Title
            """);

        Assert.Equal(["File", "Ip", "Machine", "MailMessage", "Mailbox", "Process", "RegistryKey", "Url", "User"], types);
        Assert.Equal(data.Alerts.Count - 1, perDevice.Rows.Count);
        Assert.All(perDevice.Rows, r => Assert.Equal(r[1] is "Lateral movement using PsExec to a file server" ? 2L : 1L, r[2]));
    }

    [Theory]
    [MemberData(nameof(Tenants))]
    public void Identity_rows_carry_a_display_name_and_the_given_name_and_surname(string tenant, int index, string user)
    {
        var data = DataGenerator.Generate(TestTenants.Tenant(tenant), index, Now);

        var info = Hunt(data, $"IdentityInfo | where AccountName == '{user}' | project AccountDisplayName, GivenName, Surname");
        var cloud = Hunt(data, "CloudAppEvents | distinct AccountDisplayName");
        var directory = Hunt(data, "IdentityDirectoryEvents | distinct TargetAccountDisplayName");

        var expected = string.Join(' ', user.Split('.').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        var row = Assert.Single(info.Rows);
        Assert.Equal([expected, expected.Split(' ')[0], expected.Split(' ')[1]], row);
        Assert.Contains(expected, Column(cloud, "AccountDisplayName"));
        Assert.All(Column(cloud, "AccountDisplayName").Concat(Column(directory, "TargetAccountDisplayName")), name => Assert.DoesNotContain(".", (string)name!, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void The_storys_laptop_and_file_server_are_active(string tenant, int index)
    {
        var data = DataGenerator.Generate(TestTenants.Tenant(tenant), index, Now);

        var story = data.Machines.Where(m => m["computerDnsName"]!.GetValue<string>() is var name && (name.Contains("-fin-lt-011.", StringComparison.Ordinal) || name.Contains("-srv-file-01.", StringComparison.Ordinal))).ToList();

        Assert.Equal(2, story.Count);
        Assert.All(story, m => Assert.Equal("Active", m["healthStatus"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(Tenants))]
    public void A_workstations_activity_is_its_users_so_the_phished_user_has_her_laptop_and_the_servers(string tenant, int index, string user)
    {
        var data = DataGenerator.Generate(TestTenants.Tenant(tenant), index, Now);
        var prefix = tenant == "contoso" ? "ctso" : "fbrk";

        var devices = Column(Hunt(data, $"DeviceLogonEvents | where AccountName == '{user}' and ActionType == 'LogonSuccess' | distinct DeviceName | sort by DeviceName asc"), "DeviceName");
        var strangers = Hunt(data, """
            DeviceInfo
            | where DeviceType == "Workstation"
            | extend Owner = tostring(todynamic(LoggedOnUsers)[0].UserName)
            | distinct DeviceName, Owner
            | join kind=inner (DeviceLogonEvents | distinct DeviceName, AccountName) on DeviceName
            | where AccountName != Owner
            """);

        Assert.Equal(
            [$"{prefix}-dc-01", $"{prefix}-dc-02", $"{prefix}-fin-lt-011", $"{prefix}-srv-file-01", $"{prefix}-srv-sql-01", $"{prefix}-srv-web-01"],
            devices.Select(d => ((string)d!).Split('.')[0]));
        Assert.Empty(strangers.Rows);
    }

    [Fact]
    public async Task The_users_machines_api_lists_the_phished_users_laptop_and_servers_only()
    {
        var token = await fixture.SecretTokenAsync("contoso", "https://api.securitycenter.microsoft.com/.default");

        var (status, body) = await fixture.GetAsync("api/users/adele.vance/machines", token);

        Assert.Equal(200, status);
        var names = body.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("computerDnsName").GetString()!.Split('.')[0]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["ctso-dc-01", "ctso-dc-02", "ctso-fin-lt-011", "ctso-srv-file-01", "ctso-srv-sql-01", "ctso-srv-web-01"], names);
    }
}
