using System.Globalization;
using System.Text.Json;
using DefenderMcp.Areas.MachineActions;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// undo_action of an isolation or a restriction sends a release or a removal, but its confirmation and preview said
// nothing of the device as it is now, unlike release_device's and remove_app_restriction's. They now show the same
// state (Now: … and target_state), from the same bounded lookup that never blocks; an undo of an isolation that a
// later release already ended is refused naming that release, when and by whom. Our server against the emulator.
public sealed class UndoActionStateTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string State(JsonElement preview) => preview.GetProperty("target_state").GetString()!;

    // A device action sent without confirmation, followed until it ended (the emulator ends actions in 0.5 s).
    private static async Task<JsonElement> DoneAsync(ServerHarness server, string tool, Dictionary<string, object?> arguments)
    {
        var sent = await server.CallOkAsync(tool, arguments);
        var action = (await server.CallOkAsync("get_machine_action", new() { ["action_id"] = sent.GetProperty("action_id").GetString(), ["wait_seconds"] = 30 })).GetProperty("action");
        Assert.Equal("Succeeded", action.GetProperty("status").GetString());
        return action;
    }

    private static string Since(JsonElement action) =>
        DateTimeOffset.Parse(action.GetProperty("creation_date_time_utc").GetString()!, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Id(JsonElement action) => action.GetProperty("id").GetString()!;

    [Fact]
    public async Task Undo_of_a_live_isolation_shows_Isolated_since_when_by_whom_in_the_preview_and_the_confirmation()
    {
        var messages = new List<string>();
        await using var setup = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: AcceptingClient.Options(messages));
        const string Device = "ctso-sales-lt-102.contoso.com";
        var isolation = await DoneAsync(setup, "isolate_device", new() { ["device"] = Device, ["comment"] = "IR-12", ["isolation_type"] = "Selective" });
        var restriction = await DoneAsync(setup, "restrict_app_execution", new() { ["device"] = Device, ["comment"] = "IR-12" });

        var preview = await server.CallOkAsync("undo_action", new() { ["action_id"] = Id(isolation), ["dry_run"] = true });
        var removal = await server.CallOkAsync("undo_action", new() { ["action_id"] = Id(restriction), ["dry_run"] = true });
        var undone = await server.CallOkAsync("undo_action", new() { ["action_id"] = Id(isolation) });

        var expected = $"Isolated (Selective) since {Since(isolation)} by {isolation.GetProperty("requestor").GetString()} (action {Id(isolation)}).";
        Assert.Equal(expected, State(preview));
        Assert.Equal($"App execution restricted since {Since(restriction)} by {restriction.GetProperty("requestor").GetString()} (action {Id(restriction)}).", State(removal));
        Assert.Contains($"\nNow: {expected}\n", Assert.Single(messages), StringComparison.Ordinal);
        Assert.Equal(("Unisolate", true), (undone.GetProperty("type").GetString(), undone.GetProperty("done").GetBoolean()));
    }

    [Fact]
    public async Task Undo_of_an_isolation_a_later_release_ended_names_that_release_when_and_by_whom_and_sends_nothing()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        const string Device = "ctso-fin-lt-046.contoso.com";
        var isolation = await DoneAsync(server, "isolate_device", new() { ["device"] = Device, ["comment"] = "IR-12" });
        var release = await DoneAsync(server, "release_device", new() { ["device"] = Device, ["comment"] = "cleared" });
        var before = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST");

        var (code, message) = await server.CallErrorAsync("undo_action", new() { ["action_id"] = Id(isolation), ["dry_run"] = true });

        Assert.Equal("invalid_input", code);
        Assert.Contains($"was already undone: Unisolate {Id(release)} is Succeeded on {Device}; nothing was sent.", message, StringComparison.Ordinal);
        Assert.EndsWith(
            $" Now: Not isolated: released {Since(release)} by {release.GetProperty("requestor").GetString()} (action {Id(release)}): releasing it may fail or do nothing.",
            message,
            StringComparison.Ordinal);
        Assert.Equal(before, (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task Undo_whose_state_lookup_fails_says_it_could_not_be_read_and_still_sends_the_release()
    {
        var messages = new List<string>();
        await using var setup = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: AcceptingClient.Options(messages));
        var isolation = await DoneAsync(setup, "isolate_device", new() { ["device"] = "ctso-sales-lt-032.contoso.com", ["comment"] = "IR-12" });
        // Only the state lookup's read of Isolate actions fails: undo_action's own check for a later release reads
        // Unisolate actions and must still answer, so the failure is the lookup's alone.
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, Count = 0, Method = "GET", PathPattern = "^/api/machineactions\\?.*(%27|')Isolate(%27|')" }, Ct);
        try
        {
            var preview = await server.CallOkAsync("undo_action", new() { ["action_id"] = Id(isolation), ["dry_run"] = true });
            var undone = await server.CallOkAsync("undo_action", new() { ["action_id"] = Id(isolation) });

            Assert.StartsWith("The device's isolation state could not be read (the lookup failed: The app lacks the permission", State(preview), StringComparison.Ordinal);
            Assert.EndsWith("); this does not hold the action back.", State(preview), StringComparison.Ordinal);
            Assert.Contains("\nNow: The device's isolation state could not be read (", Assert.Single(messages), StringComparison.Ordinal);
            Assert.Equal(("Unisolate", true), (undone.GetProperty("type").GetString(), undone.GetProperty("done").GetBoolean()));
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    // The device's list reads of machine actions (GET /api/machineactions?$filter=...) in the emulator's log so far.
    private async Task<int> ListReadsAsync() =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "GET" && r.Path == "/api/machineactions");

    [Fact]
    public async Task Undo_of_an_isolation_reads_each_type_of_the_devices_actions_once_for_its_check_and_its_state()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var isolation = await DoneAsync(server, "isolate_device", new() { ["device"] = "ctso-hr-lt-018.contoso.com", ["comment"] = "IR-12" });
        var before = await ListReadsAsync();

        var preview = await server.CallOkAsync("undo_action", new() { ["action_id"] = Id(isolation), ["dry_run"] = true });

        // One read of Unisolate actions (the check for an undo made already, which the state shares) and one of Isolate.
        Assert.Equal(before + 2, await ListReadsAsync());
        Assert.StartsWith("Isolated (", State(preview), StringComparison.Ordinal);
        Assert.Contains($" since {Since(isolation)} ", State(preview), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undo_made_already_is_refused_when_the_state_lookup_takes_too_long_and_when_the_check_takes_longer_than_the_lookup_may()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        const string Device = "ctso-fin-lt-011.contoso.com";
        var isolation = await DoneAsync(server, "isolate_device", new() { ["device"] = Device, ["comment"] = "IR-12" });
        var release = await DoneAsync(server, "release_device", new() { ["device"] = Device, ["comment"] = "cleared" });
        var posts = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST");
        var refusal = $"was already undone: Unisolate {Id(release)} is Succeeded on {Device}; nothing was sent.";
        try
        {
            // The state lookup's own read (Isolate actions) hangs: it is cut off at its bound, and the refusal stands.
            await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 60_000, Count = 0, Method = "GET", PathPattern = "^/api/machineactions\\?.*(%27|')Isolate(%27|')" }, Ct);
            var (code, message) = await server.CallErrorAsync("undo_action", new() { ["action_id"] = Id(isolation) }).WaitAsync(TimeSpan.FromSeconds(45), Ct);
            Assert.Equal("invalid_input", code);
            Assert.Contains(refusal, message, StringComparison.Ordinal);
            Assert.EndsWith($" Now: The device's isolation state could not be read (the lookup took longer than {DeviceStateNote.LookupTimeout.TotalSeconds:0} s); this does not hold the action back.", message, StringComparison.Ordinal);

            // The shared read (Unisolate actions) is the check's: slower than the lookup's bound, it is waited for.
            await fixture.Control.ClearFaultsAsync(Ct);
            var slower = (int)DeviceStateNote.LookupTimeout.TotalMilliseconds + 1_000;
            await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = slower, Count = 0, Method = "GET", PathPattern = "^/api/machineactions\\?.*(%27|')Unisolate(%27|')" }, Ct);
            (code, message) = await server.CallErrorAsync("undo_action", new() { ["action_id"] = Id(isolation) });
            Assert.Equal("invalid_input", code);
            Assert.Contains(refusal, message, StringComparison.Ordinal);
            Assert.EndsWith($" Now: Not isolated: released {Since(release)} by {release.GetProperty("requestor").GetString()} (action {Id(release)}): releasing it may fail or do nothing.", message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }

        Assert.Equal(posts, (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST"));
    }
}
