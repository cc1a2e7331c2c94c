using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Scenarios;

/// <summary>
/// Issue 14's "Done when", walked end to end through the SDK MCP client against our server against the emulator's
/// contoso story: from incident 4301 to the file, the device, the user and the attacker IP; from the compromised
/// device to the story's CVE and every device exposed to it; then the compromised account disabled after an accepted
/// confirmation. Each step is read from the previous step's answer (nothing is looked up by hand) and each lands in
/// the audit trail. Its own emulator: the walk disables a user.
/// </summary>
public sealed class InvestigationBreadthWalkTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Entity(JsonElement incident, string type) =>
        incident.GetProperty("impacted_entities").EnumerateArray().First(e => e.GetProperty("type").GetString() == type);

    private static List<string?> Names(JsonElement result, string list, string name) =>
        [.. result.GetProperty(list).EnumerateArray().Select(e => e.GetProperty(name).GetString())];

    [Fact]
    public async Task From_incident_4301_to_the_file_device_user_ip_the_exposed_devices_and_a_confirmed_disable_each_audited()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: AcceptingClient.Options(messages));

        // The incident and its impacted entities.
        var incident = await server.CallOkAsync("get_incident", new() { ["incident_id"] = "4301" });
        var fileEntity = Entity(incident, "file");
        var deviceEntity = Entity(incident, "device");
        var userEntity = Entity(incident, "user");
        var ipEntity = incident.GetProperty("impacted_entities").EnumerateArray().First(e => e.GetProperty("type").GetString() == "ip" && e.GetProperty("roles").EnumerateArray().Any());

        var story = StoryNames.For("contoso", 0);
        Assert.Equal(story.AttackerIp, ipEntity.GetProperty("name").GetString());

        // The file: both devices it reached and the story's alerts.
        var file = await server.CallOkAsync("get_file_info", new() { ["hash"] = fileEntity.GetProperty("id").GetString() });
        Assert.Equal(DataGenerator.PayloadSha1, file.GetProperty("file").GetProperty("sha1").GetString());
        Assert.Equal("Malware", file.GetProperty("file").GetProperty("determination_type").GetString());
        Assert.Contains(deviceEntity.GetProperty("name").GetString(), Names(file, "devices", "name"));
        Assert.All(file.GetProperty("alerts").EnumerateArray(), a => Assert.Equal("4301", a.GetProperty("incident_id").GetString()));

        // The device, with its alerts.
        var device = await server.CallOkAsync("get_device", new() { ["device"] = deviceEntity.GetProperty("id").GetString() });
        var victim = device.GetProperty("device").GetProperty("id").GetString()!;
        Assert.Contains(device.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("incident_id").GetString() == "4301");

        // The user: the devices they logged on to, their alerts.
        var upn = userEntity.GetProperty("details").TryGetProperty("upn", out var u) ? u.GetString()! : $"{userEntity.GetProperty("name").GetString()}@contoso.com";
        Assert.Equal($"{story.Users[0]}@{story.Domain}", upn);
        var user = await server.CallOkAsync("get_user_info", new() { ["user"] = upn, ["limit"] = 100 });
        Assert.Contains(user.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("incident_id").GetString() == "4301");
        Assert.NotEmpty(user.GetProperty("devices").EnumerateArray());

        // The attacker IP: its alerts and the device that reached it.
        var ip = await server.CallOkAsync("get_ip_info", new() { ["ip"] = ipEntity.GetProperty("name").GetString() });
        Assert.Contains(ip.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("incident_id").GetString() == "4301");
        Assert.Contains(victim, Names(ip, "devices", "id"));

        // The compromised device's vulnerabilities lead to the story's CVE; it exposes every finance and HR laptop.
        var vulnerabilities = await server.CallOkAsync("list_vulnerabilities", new() { ["device"] = victim });
        Assert.Contains(VulnerabilityCatalog.StoryCve, Names(vulnerabilities, "vulnerabilities", "id"));
        var cve = await server.CallOkAsync("get_vulnerability", new() { ["cve"] = VulnerabilityCatalog.StoryCve });
        var exposed = Names(cve, "exposed_devices", "name");
        Assert.Equal(6, exposed.Count);
        Assert.All(exposed, d => Assert.Matches("^ctso-(fin|hr)-lt-[0-9]{3}\\.contoso\\.com$", d));
        Assert.Contains(device.GetProperty("device").GetProperty("name").GetString(), exposed);

        // The compromised account, disabled after the analyst confirms.
        var before = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "PATCH");
        var disabled = await server.CallOkAsync("disable_user", new() { ["user"] = upn });
        var after = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "PATCH");
        Assert.True(disabled.GetProperty("done").GetBoolean());
        Assert.Equal(before + 1, after);
        Assert.Contains(upn, Assert.Single(messages), StringComparison.Ordinal);

        // Every step, in order, in the audit trail; the disable with the accepted confirmation.
        string[] steps = ["get_incident", "get_file_info", "get_device", "get_user_info", "get_ip_info", "list_vulnerabilities", "get_vulnerability", "disable_user"];
        var audit = server.AuditLines().Where(a => a.GetProperty("event").GetString() == "tool_call").ToList();
        Assert.Equal(steps, audit.Select(a => a.GetProperty("tool").GetString()).Where(t => steps.Contains(t)));
        var last = audit.Last(a => a.GetProperty("tool").GetString() == "disable_user");
        Assert.Equal(("elicitation_accepted", "allowed"), (last.GetProperty("confirmation").GetString(), last.GetProperty("policy_decision").GetString()));
    }
}
