using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// Releasing a device used to be confirmed without a word on whether it was isolated. The confirmation and the preview
// of isolate, release, restrict and remove restriction now say what the device is (isolated since when, by whom, by
// which action; or that no isolation was found, so releasing it may fail or do nothing), read from its actions with
// one bounded lookup; a lookup that fails says so and the action still goes through. Our server against the emulator.
// The dry-run golden file gained target_state on exactly these four tools for this reason.
public sealed class DeviceStatePreviewTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object?> Args(string device, bool dryRun = false) =>
        new() { ["device"] = device, ["comment"] = "IR-12", ["dry_run"] = dryRun };

    private static string State(JsonElement preview) => preview.GetProperty("target_state").GetString()!;

    private static async Task<JsonElement> DoneAsync(ServerHarness server, JsonElement sent) =>
        (await server.CallOkAsync("get_machine_action", new() { ["action_id"] = sent.GetProperty("action_id").GetString(), ["wait_seconds"] = 30 })).GetProperty("action");

    [Fact]
    public async Task An_isolated_device_shows_since_when_by_whom_and_which_action_in_the_release_preview_and_confirmation()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: AcceptingClient.Options(messages));
        const string Device = "ctso-sales-lt-102.contoso.com";
        var isolation = await DoneAsync(server, await server.CallOkAsync("isolate_device", new() { ["device"] = Device, ["comment"] = "IR-12", ["isolation_type"] = "Selective" }));
        var restriction = await DoneAsync(server, await server.CallOkAsync("restrict_app_execution", Args(Device)));

        var release = await server.CallOkAsync("release_device", Args(Device, dryRun: true));
        var removal = await server.CallOkAsync("remove_app_restriction", Args(Device, dryRun: true));
        var again = await server.CallOkAsync("isolate_device", Args(Device, dryRun: true));
        messages.Clear();
        var released = await server.CallOkAsync("release_device", Args(Device));

        Assert.Equal("Succeeded", isolation.GetProperty("status").GetString());
        var since = DateTimeOffset.Parse(isolation.GetProperty("creation_date_time_utc").GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var expected = $"Isolated (Selective) since {since} by {isolation.GetProperty("requestor").GetString()} (action {isolation.GetProperty("id").GetString()}).";
        Assert.Equal(expected, State(release));
        Assert.Equal(expected, State(again));
        Assert.StartsWith("App execution restricted since ", State(removal), StringComparison.Ordinal);
        Assert.EndsWith($"(action {restriction.GetProperty("id").GetString()}).", State(removal), StringComparison.Ordinal);
        Assert.Contains($"\nNow: {expected}\n", Assert.Single(messages), StringComparison.Ordinal);
        Assert.True(released.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task A_device_never_isolated_says_no_isolation_was_found_and_releasing_it_may_fail_or_do_nothing()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: AcceptingClient.Options(messages));
        const string Device = "ctso-eng-ws-095.contoso.com";

        var release = await server.CallOkAsync("release_device", Args(Device, dryRun: true));
        var removal = await server.CallOkAsync("remove_app_restriction", Args(Device, dryRun: true));
        var isolate = await server.CallOkAsync("isolate_device", Args(Device, dryRun: true));
        var scan = await server.CallOkAsync("run_antivirus_scan", Args(Device, dryRun: true));
        var bulk = await server.CallOkAsync("release_device", new() { ["devices"] = new[] { Device, "ctso-eng-ws-060.contoso.com" }, ["comment"] = "IR-12", ["dry_run"] = true });
        // Defender documents no refusal of a release of a device that is not isolated (defender-api §3.5): the emulator
        // accepts it and the action ends Succeeded, so the confirmation's warning is the whole of the answer.
        var released = await DoneAsync(server, await server.CallOkAsync("release_device", Args(Device)));

        const string NoIsolation = "No isolation found for this device: releasing it may fail or do nothing.";
        Assert.Equal(NoIsolation, State(release));
        Assert.Equal("No app restriction found for this device: removing it may fail or do nothing.", State(removal));
        Assert.Equal("No isolation found for this device.", State(isolate));
        Assert.False(scan.TryGetProperty("target_state", out _));
        Assert.All(bulk.GetProperty("targets").EnumerateArray(), t => Assert.Equal(NoIsolation, t.GetProperty("target_state").GetString()));
        Assert.Contains($"\nNow: {NoIsolation}\n", Assert.Single(messages), StringComparison.Ordinal);
        Assert.Equal(("Unisolate", "Succeeded"), (released.GetProperty("type").GetString(), released.GetProperty("status").GetString()));
        // The state is read with the documented filters only: machineId and type, one read per type (no 'or').
        var reads = (await fixture.Control.GetRequestsAsync(Ct)).Where(r => r.Method == "GET" && r.Path == "/api/machineactions").Select(r => Uri.UnescapeDataString(r.Query)).ToList();
        Assert.Contains(reads, q => q.Contains("machineId eq ", StringComparison.Ordinal) && q.Contains("type eq 'Isolate'", StringComparison.Ordinal));
        Assert.Contains(reads, q => q.Contains("machineId eq ", StringComparison.Ordinal) && q.Contains("type eq 'Unisolate'", StringComparison.Ordinal));
        Assert.DoesNotContain(reads, q => q.Contains(" or ", StringComparison.Ordinal));
        var after = await server.CallOkAsync("release_device", Args(Device, dryRun: true));
        Assert.StartsWith("Not isolated: released ", State(after), StringComparison.Ordinal);
        Assert.EndsWith($"(action {released.GetProperty("id").GetString()}): releasing it may fail or do nothing.", State(after), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_lookup_says_the_state_could_not_be_read_and_does_not_hold_the_action_back()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: AcceptingClient.Options(messages));
        const string Device = "ctso-sales-lt-032.contoso.com";
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, Count = 0, Method = "GET", PathPattern = "^/api/machineactions\\?" }, Ct);
        try
        {
            var preview = await server.CallOkAsync("release_device", Args(Device, dryRun: true));
            var released = await server.CallOkAsync("release_device", Args(Device));

            Assert.StartsWith("The device's isolation state could not be read (the lookup failed: The app lacks the permission", State(preview), StringComparison.Ordinal);
            Assert.EndsWith("); this does not hold the action back.", State(preview), StringComparison.Ordinal);
            Assert.Contains("\nNow: The device's isolation state could not be read (", Assert.Single(messages), StringComparison.Ordinal);
            Assert.True(released.GetProperty("done").GetBoolean());
            Assert.Equal("Unisolate", released.GetProperty("type").GetString());
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task Defender_refusing_a_release_names_its_reason_and_the_state_read_before()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 400, Code = "BadRequest", Message = "Machine is not isolated.", Method = "POST", PathPattern = "/unisolate$" }, Ct);
        try
        {
            var (code, message) = await server.CallErrorAsync("release_device", Args("ctso-fin-lt-046.contoso.com"));

            Assert.Equal("invalid_input", code);
            Assert.Equal(
                "Defender refused the device action (400 BadRequest): Machine is not isolated. Before the request, the device read: No isolation found for this device: releasing it may fail or do nothing. Nothing was changed; get_device shows its isolation and app restriction now, list_machine_actions its actions.",
                message);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }
}
