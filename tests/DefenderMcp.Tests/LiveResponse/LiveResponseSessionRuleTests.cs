using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Hosting;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.LiveResponse;

/// <summary>
/// One pending live-response session per device: the server refuses a second one before sending, naming the first,
/// and the emulator answers the documented 400 when a client sends it anyway.
/// </summary>
public sealed class LiveResponseSessionRuleTests(SlowLiveResponseEmulatorFixture fixture) : IClassFixture<SlowLiveResponseEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> LiveResponsePostsAsync() =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.EndsWith("/runliveresponse", StringComparison.Ordinal));

    [Fact]
    public async Task A_second_session_on_a_device_is_refused_naming_the_pending_one()
    {
        await using var server = await ServerHarness.StartAsync(fixture.Emulator, s => s with { ActionPollInterval = TimeSpan.FromMilliseconds(100) }, ActionTier.LiveResponse, ConfirmationMode.None);
        var first = await server.CallOkAsync("run_live_response_script", new() { ["device"] = "ctso-hr-lt-018.contoso.com", ["script"] = "list-processes.ps1", ["wait_seconds"] = 0 });
        var before = await LiveResponsePostsAsync();

        var (code, message) = await server.CallErrorAsync("run_live_response_script", new() { ["device"] = "ctso-hr-lt-018.contoso.com", ["script"] = "collect-triage.ps1" });

        // conflict, as the error codes table and Defender's own 400 ActiveRequestAlreadyExists say; it was invalid_input,
        // which tells a model to change its arguments rather than wait for the pending session.
        Assert.Equal("conflict", code);
        Assert.Contains(first.GetProperty("action_id").GetString()!, message, StringComparison.Ordinal);
        Assert.Equal(before, await LiveResponsePostsAsync());
    }

    [Fact]
    public async Task The_emulator_answers_a_second_session_with_the_documented_400()
    {
        var tenant = DemoEnvironment.SettingsFor(fixture.Emulator, ActionTier.LiveResponse, ConfirmationMode.None).Tenants[0];
        using var client = DefenderClient.Create(tenant.Connection);
        var machine = await client.GetMachineAsync("ctso-sales-lt-032.contoso.com", Ct);
        await client.SendAsync(client.RunLiveResponse(machine.Id, [LiveResponseCommand.RunScript("list-processes.ps1")], "first"), Ct);

        var second = await Assert.ThrowsAsync<DefenderApiException>(() => client.SendAsync(client.RunLiveResponse(machine.Id, [LiveResponseCommand.RunScript("list-processes.ps1")], "second"), Ct));

        Assert.Equal((400, DefenderErrorCode.Conflict), (second.HttpStatus, second.Code));
        Assert.Contains("ActiveRequestAlreadyExists", second.Message, StringComparison.Ordinal);
    }
}
