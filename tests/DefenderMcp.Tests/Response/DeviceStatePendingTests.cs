using System.Text.Json;
using DefenderMcp.Areas.MachineActions;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Golden;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// The state a release's confirmation shows, with actions that stay pending for an hour: an isolation still on its way
// is named (so the release is not called pointless), and a lookup that hangs is cut off at its bound instead of
// holding the confirmation, which then says the state could not be read. Our server against the emulator.
public sealed class DeviceStatePendingTests(PendingActionsEmulatorFixture fixture) : IClassFixture<PendingActionsEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object?> Args(string device, bool dryRun) =>
        new() { ["device"] = device, ["comment"] = "IR-12", ["dry_run"] = dryRun };

    [Fact]
    public async Task An_isolation_still_pending_is_named_and_the_release_is_not_called_pointless()
    {
        await using var server = await ServerHarness.StartAsync(fixture.Emulator, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        const string Device = "ctso-fin-lt-046.contoso.com";
        var isolate = await server.CallOkAsync("isolate_device", Args(Device, dryRun: false));
        var action = (await server.CallOkAsync("get_machine_action", new() { ["action_id"] = isolate.GetProperty("action_id").GetString() })).GetProperty("action");

        var release = await server.CallOkAsync("release_device", Args(Device, dryRun: true));

        var since = DateTimeOffset.Parse(action.GetProperty("creation_date_time_utc").GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            $"No isolation found for this device; an Isolate action is Pending since {since} by {action.GetProperty("requestor").GetString()} (action {action.GetProperty("id").GetString()}).",
            release.GetProperty("target_state").GetString());
    }

    [Fact]
    public async Task A_lookup_that_hangs_is_cut_off_at_its_bound_and_the_preview_says_the_state_could_not_be_read()
    {
        await using var server = await ServerHarness.StartAsync(fixture.Emulator, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        using var control = fixture.Emulator.CreateControlClient();
        await control.AddFaultAsync(new FaultSpec { DelayMs = 60_000, Count = 0, Method = "GET", PathPattern = "^/api/machineactions\\?" }, Ct);
        try
        {
            // Bounded by the test's own timeout, far above the lookup's bound and far below the injected delay.
            var preview = await server.CallOkAsync("restrict_app_execution", Args("ctso-sales-lt-067.contoso.com", dryRun: true)).WaitAsync(TimeSpan.FromSeconds(45), Ct);

            Assert.Equal(
                $"The device's app restriction state could not be read (the lookup took longer than {DeviceStateNote.LookupTimeout.TotalSeconds:0} s); this does not hold the action back.",
                preview.GetProperty("target_state").GetString());
            Assert.Equal(JsonValueKind.Object, preview.GetProperty("request").ValueKind);
        }
        finally
        {
            await control.ClearFaultsAsync(Ct);
        }
    }
}
