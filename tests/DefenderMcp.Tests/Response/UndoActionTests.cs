using DefenderMcp.Configuration;
using DefenderMcp.Emulator;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// Its own emulator: these tests isolate, restrict and scan devices and add indicators.
public sealed class UndoActionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;


    private async Task<int> RequestsAsync(string method, string pathEnd) =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == method && r.Path.EndsWith(pathEnd, StringComparison.Ordinal));

    // A device action sent without confirmation, then followed until it Succeeded (the emulator ends actions in 0.5 s).
    private static async Task<string> SucceededActionAsync(ServerHarness server, string tool, string device)
    {
        var id = (await server.CallOkAsync(tool, new() { ["device"] = device, ["comment"] = "setup" })).GetProperty("action_id").GetString()!;
        var action = await server.CallOkAsync("get_machine_action", new() { ["action_id"] = id, ["wait_seconds"] = 30 });
        Assert.Equal("Succeeded", action.GetProperty("action").GetProperty("status").GetString());
        return id;
    }

    [Fact]
    public async Task Undo_of_an_isolation_sends_one_release_for_the_same_device_after_one_confirmation()
    {
        var messages = new List<string>();
        await using var setup = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: AcceptingClient.Options(messages));
        var isolation = await SucceededActionAsync(setup, "isolate_device", "ctso-hr-lt-018.contoso.com");
        var before = await RequestsAsync("POST", "/unisolate");

        var result = await server.CallOkAsync("undo_action", new() { ["action_id"] = isolation });

        Assert.Equal(before + 1, await RequestsAsync("POST", "/unisolate"));
        Assert.Equal("Unisolate", result.GetProperty("type").GetString());
        Assert.Equal("ctso-hr-lt-018.contoso.com", result.GetProperty("target").GetProperty("name").GetString());
        Assert.Contains(isolation, result.GetProperty("comment").GetString(), StringComparison.Ordinal);
        var message = Assert.Single(messages);
        Assert.Contains(isolation, message, StringComparison.Ordinal);
        Assert.Contains("/unisolate", message, StringComparison.Ordinal);
        var audit = server.AuditLines().Last();
        Assert.Equal("undo_action", audit.GetProperty("tool").GetString());
        Assert.Equal(result.GetProperty("action_id").GetString(), audit.GetProperty("action_id").GetString());
        Assert.Equal(isolation, audit.GetProperty("params").GetProperty("action_id").GetString());

        // Undone once: a second undo names the release instead of sending another.
        var release = await server.CallOkAsync("get_machine_action", new() { ["action_id"] = result.GetProperty("action_id").GetString(), ["wait_seconds"] = 30 });
        Assert.Equal("Succeeded", release.GetProperty("action").GetProperty("status").GetString());
        var (code, again) = await server.CallErrorAsync("undo_action", new() { ["action_id"] = isolation });
        Assert.Equal("invalid_input", code);
        Assert.Contains("already undone", again, StringComparison.Ordinal);
        Assert.Equal(before + 1, await RequestsAsync("POST", "/unisolate"));
    }

    [Fact]
    public async Task Undo_of_a_restriction_previews_the_unrestrict_request_in_a_dry_run()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var restriction = await SucceededActionAsync(server, "restrict_app_execution", "ctso-sales-lt-032.contoso.com");
        var before = await RequestsAsync("POST", "/unrestrictCodeExecution");

        var preview = await server.CallOkAsync("undo_action", new() { ["action_id"] = restriction, ["comment"] = "false positive", ["dry_run"] = true });

        Assert.True(preview.GetProperty("dry_run").GetBoolean());
        Assert.EndsWith("/unrestrictCodeExecution", preview.GetProperty("request").GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal("false positive", preview.GetProperty("request").GetProperty("body").GetProperty("Comment").GetString());
        Assert.Equal(before, await RequestsAsync("POST", "/unrestrictCodeExecution"));
    }

    [Fact]
    public async Task Undo_of_a_scan_is_refused_saying_it_has_no_inverse_and_sends_nothing()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var scan = await SucceededActionAsync(server, "run_antivirus_scan", "ctso-eng-ws-025.contoso.com");
        var before = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST");

        var (code, message) = await server.CallErrorAsync("undo_action", new() { ["action_id"] = scan });

        Assert.Equal("invalid_input", code);
        Assert.Contains("no inverse", message, StringComparison.Ordinal);
        Assert.Equal(before, (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST"));
        Assert.Equal("denied_no_inverse", server.AuditLines().Last().GetProperty("policy_decision").GetString());
    }

    [Fact]
    public async Task Undo_of_an_action_that_has_not_succeeded_is_refused()
    {
        await using var emulator = await DefenderEmulator.StartAsync(new EmulatorOptions { ActionPendingTime = TimeSpan.FromHours(1) }, Ct);
        await using var server = await ServerHarness.StartAsync(emulator, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var pending = (await server.CallOkAsync("isolate_device", new() { ["device"] = "ctso-fin-lt-011.contoso.com", ["comment"] = "setup" })).GetProperty("action_id").GetString();

        var (code, message) = await server.CallErrorAsync("undo_action", new() { ["action_id"] = pending });

        Assert.Equal("invalid_input", code);
        Assert.Contains("Pending", message, StringComparison.Ordinal);
        Assert.Contains("only a Succeeded action", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undo_of_an_added_indicator_removes_it_after_a_confirmation_naming_its_value()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: AcceptingClient.Options(messages));
        var added = await server.CallOkAsync("add_indicator", new() { ["indicator_type"] = "DomainName", ["value"] = "undo-me.example.com", ["action"] = "Block", ["title"] = "typo", ["description"] = "added by mistake" });
        var id = added.GetProperty("indicator").GetProperty("id").GetString()!;

        var result = await server.CallOkAsync("undo_action", new() { ["indicator_id"] = id });

        Assert.Equal(1, await RequestsAsync("DELETE", $"/api/indicators/{id}"));
        Assert.Equal([id], result.GetProperty("deleted_ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("undo-me.example.com", messages.Last(), StringComparison.Ordinal);
        var left = await server.CallOkAsync("list_indicators", new() { ["limit"] = 100 });
        Assert.DoesNotContain(left.GetProperty("indicators").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Undo_needs_exactly_one_of_action_id_and_indicator_id()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

        var neither = await server.CallErrorAsync("undo_action", new() { ["dry_run"] = true });
        var both = await server.CallErrorAsync("undo_action", new() { ["action_id"] = "5382f7ea-7557-4ab7-9782-d50480024a4e", ["indicator_id"] = "1001", ["dry_run"] = true });

        Assert.Equal(("invalid_input", "invalid_input"), (neither.Code, both.Code));
        Assert.Contains("exactly one", both.Message, StringComparison.Ordinal);
    }
}
