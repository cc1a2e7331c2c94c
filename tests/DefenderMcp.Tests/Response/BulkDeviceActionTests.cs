using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// Its own emulator: these tests isolate devices and inject faults.
public sealed class BulkDeviceActionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    private static async Task<List<string>> DevicesAsync(ServerHarness server, string prefix, int count)
    {
        var devices = await server.CallOkAsync("list_devices", new() { ["name_prefix"] = prefix, ["limit"] = count });
        var names = devices.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToList();
        Assert.Equal(count, names.Count);
        return names;
    }

    private async Task<List<string>> IsolatedMachinesAsync() =>
        [.. (await fixture.Control.GetRequestsAsync(Ct)).Where(r => r.Method == "POST" && r.Path.EndsWith("/isolate", StringComparison.Ordinal)).Select(r => r.Path)];

    private static async Task<int> BudgetLeftAsync(ServerHarness server) =>
        (await server.CallOkAsync("get_server_status")).GetProperty("actions_left_this_hour").GetInt32();

    [Fact]
    public async Task Bulk_isolate_confirms_once_naming_every_device_sends_two_and_names_the_protected_one_as_refused()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: AcceptingClient.Options(messages));
        var devices = await DevicesAsync(server, "ctso-eng-ws", 2);
        var dc = (await DevicesAsync(server, "ctso-dc-01", 1))[0];
        var budget = await BudgetLeftAsync(server);
        var before = await IsolatedMachinesAsync();

        var result = await server.CallOkAsync("isolate_device", new() { ["devices"] = new[] { devices[0], dc, devices[1] }, ["comment"] = "Contain the outbreak", ["isolation_type"] = "Full" });

        var sent = (await IsolatedMachinesAsync()).Skip(before.Count).ToList();
        Assert.Equal(2, sent.Count);
        var message = Assert.Single(messages);
        Assert.Contains(devices[0], message, StringComparison.Ordinal);
        Assert.Contains(devices[1], message, StringComparison.Ordinal);
        Assert.Contains(dc, message, StringComparison.Ordinal);
        Assert.Contains("Refused", message, StringComparison.Ordinal);
        Assert.Contains("Contain the outbreak", message, StringComparison.Ordinal);
        var targets = result.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal([devices[0], devices[1]], targets.Select(t => t.GetProperty("target").GetProperty("name").GetString()));
        Assert.All(targets, t => Assert.True(t.GetProperty("done").GetBoolean()));
        Assert.All(targets, t => Assert.Contains(t.GetProperty("target").GetProperty("id").GetString()!, string.Join(" ", sent), StringComparison.Ordinal));
        var refused = Assert.Single(result.GetProperty("refused").EnumerateArray());
        Assert.Equal(dc, refused.GetProperty("target").GetString());
        Assert.Contains("protected", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("sent", result.GetProperty("status").GetString());
        Assert.Equal(budget - 2, await BudgetLeftAsync(server));
        var audit = server.AuditLines().Last(l => l.GetProperty("tool").GetString() == "isolate_device");
        Assert.Equal("elicitation_accepted", audit.GetProperty("confirmation").GetString());
        Assert.Equal(2, audit.GetProperty("counts").GetProperty("items").GetInt32());
        Assert.Equal(1, audit.GetProperty("counts").GetProperty("refused").GetInt32());
        Assert.All(targets, t => Assert.Contains(t.GetProperty("action_id").GetString()!, audit.GetProperty("action_id").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bulk_dry_run_previews_every_request_and_sends_nothing()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond);
        var devices = await DevicesAsync(server, "ctso-sales-lt", 3);
        var before = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST");

        var preview = await server.CallOkAsync("run_antivirus_scan", new() { ["devices"] = devices.Append("no-such-device").ToArray(), ["comment"] = "sweep", ["scan_type"] = "Quick", ["dry_run"] = true });

        Assert.True(preview.GetProperty("dry_run").GetBoolean());
        var requests = preview.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("request")).ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.EndsWith("/runAntiVirusScan", r.GetProperty("url").GetString(), StringComparison.Ordinal));
        Assert.All(requests, r => Assert.Equal("Quick", r.GetProperty("body").GetProperty("ScanType").GetString()));
        Assert.Equal(3, requests.Select(r => r.GetProperty("url").GetString()).Distinct().Count());
        Assert.Equal("no-such-device", Assert.Single(preview.GetProperty("refused").EnumerateArray()).GetProperty("target").GetString());
        Assert.Equal(before, (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task A_failure_on_one_device_never_stops_the_others()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var devices = await DevicesAsync(server, "ctso-exec-lt", 2);
        // A restriction already pending on the first device: Defender answers its duplicate with 400.
        await server.CallOkAsync("restrict_app_execution", new() { ["device"] = devices[0], ["comment"] = "first" });

        var result = await server.CallOkAsync("restrict_app_execution", new() { ["devices"] = new[] { devices[0], devices[1] }, ["comment"] = "both" });

        var targets = result.GetProperty("targets").EnumerateArray().ToList();
        Assert.False(targets[0].GetProperty("done").GetBoolean());
        Assert.False(string.IsNullOrEmpty(targets[0].GetProperty("error").GetProperty("code").GetString()));
        Assert.True(targets[1].GetProperty("done").GetBoolean());
        Assert.Equal("partial", result.GetProperty("status").GetString());
        Assert.Equal("partial", server.AuditLines().Last().GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Device_and_devices_together_or_a_bulk_larger_than_the_budget_are_refused_before_any_request()
    {
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { Tenants = [s.Tenants[0] with { Policy = s.Tenants[0].Policy with { MaxActionsPerHour = 2 } }, .. s.Tenants.Skip(1)] }, ActionTier.Respond, ConfirmationMode.None);
        var devices = await DevicesAsync(server, "ctso-fin", 3);
        var before = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST");

        var both = await server.CallErrorAsync("collect_investigation_package", new() { ["device"] = devices[0], ["devices"] = devices.ToArray(), ["comment"] = "x" });
        var tooMany = await server.CallErrorAsync("collect_investigation_package", new() { ["devices"] = devices.ToArray(), ["comment"] = "x" });

        Assert.Equal("invalid_input", both.Code);
        Assert.Equal("policy_denied", tooMany.Code);
        Assert.Contains("needs 3", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal(before, (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task A_token_confirms_the_targets_it_previewed_not_a_device_that_appeared_under_a_refused_name_since()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.Token);
        var devices = await DevicesAsync(server, "ctso-fin-lt", 1);
        var late = "ctso-lab-" + Guid.NewGuid().ToString("N")[..6] + ".contoso.com";
        var args = new Dictionary<string, object?> { ["devices"] = new[] { devices[0], late }, ["comment"] = "bulk preview" };
        var preview = await server.CallOkAsync("restrict_app_execution", args);
        Assert.Equal(late, Assert.Single(preview.GetProperty("refused").EnumerateArray()).GetProperty("target").GetString());
        var token = preview.GetProperty("confirmation_token").GetString();
        var previewLine = server.AuditLines().Last(l => l.GetProperty("tool").GetString() == "restrict_app_execution");
        var notes = previewLine.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Contains(notes, n => n.StartsWith($"target={devices[0]} (", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith($"refused={late}", StringComparison.Ordinal));

        // A device now answers to the name the person saw refused: the same arguments would act on two devices.
        await fixture.Control.AddMachineAsync("contoso", "ctso-hr-lt-053.contoso.com", late, Ct);
        var before = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.EndsWith("/restrictCodeExecution", StringComparison.Ordinal));
        args["confirmation_token"] = token;
        var (code, message) = await server.CallErrorAsync("restrict_app_execution", args);

        Assert.Equal("confirmation_required", code);
        Assert.Contains("resolve to other targets", message, StringComparison.Ordinal);
        Assert.Equal(before, (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.EndsWith("/restrictCodeExecution", StringComparison.Ordinal)));
    }
}
