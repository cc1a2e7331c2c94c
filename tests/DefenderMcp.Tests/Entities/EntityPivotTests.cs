using System.Text.Json;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Entities;

/// <summary>
/// The entity pivots against the emulator's contoso story (docs/emulator.md): the payload OneDriveUpdater.exe was
/// dropped on ctso-fin-lt-011 and copied to ctso-srv-file-01; the attacker's C2 is 185.220.101.47, the phishing
/// domain contoso-payroll-update.com and the phished user adele.vance.
/// </summary>
public sealed class EntityPivotTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Victim = "ctso-fin-lt-011.contoso.com";
    private const string Server = "ctso-srv-file-01.contoso.com";
    private const string AttackerIp = "185.220.101.47";
    private const string AttackerDomain = "contoso-payroll-update.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<string?> Names(JsonElement result, string list, string name) =>
        [.. result.GetProperty(list).EnumerateArray().Select(e => e.GetProperty(name).GetString())];

    [Fact]
    public async Task The_payload_hash_finds_both_compromised_devices_and_the_story_alerts()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("get_file_info", new() { ["hash"] = DataGenerator.PayloadSha1.ToUpperInvariant() });

        var file = result.GetProperty("file");
        Assert.Equal(DataGenerator.PayloadSha256, file.GetProperty("sha256").GetString());
        Assert.Equal("Malware", file.GetProperty("determination_type").GetString());
        Assert.False(file.GetProperty("is_valid_certificate").GetBoolean());
        Assert.Contains(DataGenerator.PayloadName, file.GetProperty("top_file_names").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(2, result.GetProperty("organization").GetProperty("organization_prevalence").GetInt64());
        Assert.Equal([Victim, Server], Names(result, "devices", "name").Order(StringComparer.Ordinal));
        var alerts = result.GetProperty("alerts").EnumerateArray().ToList();
        // The payload is the dropped file, procdump's parent process in the credential dumping alert, and copied by PsExec.
        Assert.Equal(3, alerts.Count);
        Assert.All(alerts, a => Assert.Equal("4301", a.GetProperty("incident_id").GetString()));
        Assert.Contains("Lateral movement using PsExec to a file server", alerts.Select(a => a.GetProperty("title").GetString()));
        Assert.Contains("Credential dumping from LSASS memory", alerts.Select(a => a.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task A_sha256_pivots_through_the_files_sha1()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.ClearRequestsAsync(Ct);

        var result = await server.CallOkAsync("get_file_info", new() { ["hash"] = DataGenerator.PayloadSha256 });

        Assert.Equal(DataGenerator.PayloadSha1, result.GetProperty("file").GetProperty("sha1").GetString());
        Assert.Equal([Victim, Server], Names(result, "devices", "name").Order(StringComparer.Ordinal));
        var paths = (await fixture.Control.GetRequestsAsync(Ct)).Select(r => r.Path).ToList();
        Assert.Contains($"/api/files/{DataGenerator.PayloadSha1}/machines", paths);
        Assert.DoesNotContain($"/api/files/{DataGenerator.PayloadSha256}/machines", paths);
    }

    [Fact]
    public async Task An_unknown_file_is_not_found()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var (code, _) = await server.CallErrorAsync("get_file_info", new() { ["hash"] = new string('0', 40) });

        Assert.Equal("not_found", code);
    }

    [Fact]
    public async Task The_attacker_ip_finds_the_phish_and_the_c2_alert_and_the_victim()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("get_ip_info", new() { ["ip"] = AttackerIp });

        Assert.Equal(AttackerIp, result.GetProperty("ip").GetString());
        Assert.True(result.GetProperty("organization").GetProperty("organization_prevalence").GetInt64() >= 1);
        var titles = Names(result, "alerts", "title");
        Assert.Contains("Phishing email with a malicious link was delivered and clicked", titles);
        Assert.Contains("Suspicious PowerShell command line", titles);
        Assert.Equal([Victim], Names(result, "devices", "name"));
    }

    [Fact]
    public async Task The_phishing_domain_finds_the_device_that_opened_it_and_the_phishing_alert()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("get_domain_info", new() { ["domain"] = AttackerDomain.ToUpperInvariant() });

        Assert.Equal(AttackerDomain, result.GetProperty("domain").GetString());
        Assert.Equal([Victim], Names(result, "devices", "name"));
        Assert.Equal(["Phishing email with a malicious link was delivered and clicked"], Names(result, "alerts", "title"));
    }

    [Fact]
    public async Task The_victim_user_finds_the_file_server_and_every_story_alert()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("get_user_info", new() { ["user"] = "adele.vance@contoso.com", ["limit"] = 100 });

        Assert.Equal("adele.vance", result.GetProperty("account_name").GetString());
        Assert.Contains(Server, Names(result, "devices", "name"));
        var story = result.GetProperty("alerts").EnumerateArray().Where(a => a.GetProperty("incident_id").GetString() == "4301").ToList();
        Assert.Equal(4, story.Count);
    }

    [Fact]
    public async Task The_file_servers_logon_users_include_the_victim_and_the_device_shows_its_alerts()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var users = await server.CallOkAsync("get_device_logon_users", new() { ["device"] = Server, ["limit"] = 100 });
        var device = await server.CallOkAsync("get_device", new() { ["device"] = Victim });

        Assert.Contains("adele.vance", Names(users, "users", "account_name"));
        Assert.Equal(users.GetProperty("count").GetInt32(), users.GetProperty("users").GetArrayLength());
        var titles = Names(device, "alerts", "title");
        Assert.Contains("Credential dumping from LSASS memory", titles);
        Assert.DoesNotContain("Phishing email with a malicious link was delivered and clicked", titles);
        Assert.Equal(3, device.GetProperty("alerts").EnumerateArray().Count(a => a.GetProperty("incident_id").GetString() == "4301"));
    }

    [Fact]
    public async Task A_pivot_fans_out_over_every_tenant()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var result = await server.CallOkAsync("get_ip_info", new() { ["ip"] = AttackerIp, ["tenant"] = "*" });

        var entries = result.GetProperty("results").EnumerateArray().ToDictionary(e => e.GetProperty("tenant").GetString()!, e => e.GetProperty("result"));
        Assert.Equal(["contoso", "fabrikam"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.NotEmpty(entries["contoso"].GetProperty("alerts").EnumerateArray());
        Assert.Empty(entries["fabrikam"].GetProperty("alerts").EnumerateArray());
    }

    // The intended change to the golden tools-list.json: five entity pivots join the read tier, and get_device's
    // result gains the alerts on the device.
    [Fact]
    public async Task The_read_tier_lists_the_pivots_and_get_device_declares_its_alerts()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var tools = await server.Client.ListToolsAsync(cancellationToken: Ct);

        var names = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["get_file_info", "get_ip_info", "get_domain_info", "get_user_info", "get_device_logon_users"]), names);
        var device = tools.Single(t => t.Name == "get_device").ProtocolTool.OutputSchema!.Value.GetRawText();
        Assert.Contains("\"alerts_truncated\"", device, StringComparison.Ordinal);
        Assert.All(tools.Where(t => t.Name.StartsWith("get_", StringComparison.Ordinal) && t.Name.EndsWith("_info", StringComparison.Ordinal)), t => Assert.True(t.ProtocolTool.Annotations?.ReadOnlyHint));
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "get_file_info", "hash", "3395856ce81f2b7382dee72602f798b642f1414" },
        { "get_file_info", "hash", "zz95856ce81f2b7382dee72602f798b642f14140" },
        { "get_ip_info", "ip", "185.220.101" },
        { "get_ip_info", "ip", "999.1.1.1" },
        { "get_ip_info", "ip", "185.220.101.47:443" },
        { "get_ip_info", "ip", "fe80::1%eth0" },
        { "get_ip_info", "ip", "185.220.101.047" },
        { "get_domain_info", "domain", "https://contoso-payroll-update.com/payroll" },
        { "get_domain_info", "domain", "contoso-payroll-update" },
        { "get_domain_info", "domain", "../../machines" },
        { "get_user_info", "user", "adele vance" },
        { "get_user_info", "user", "../machines/x" },
        { "get_user_info", "user", "@contoso.com" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_identifier_is_refused_before_any_request(string tool, string argument, string value)
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.ClearRequestsAsync(Ct);

        var (code, _) = await server.CallErrorAsync(tool, new() { [argument] = value });

        Assert.Equal("invalid_input", code);
        Assert.DoesNotContain(await fixture.Control.GetRequestsAsync(Ct), r => r.Path.StartsWith("/api/", StringComparison.Ordinal));
    }
}
