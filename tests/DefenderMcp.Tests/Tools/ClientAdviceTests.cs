using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Mcp;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

// The tools decide from the client error's Advice, not from its text, whether to add their own: a read that timed out
// says the client's advice once (not the read-retry advice as well), and a write that timed out drops the client's
// "try again in a minute", since it may have acted and is never resent. Its own emulator: the delay faults stay here.
public sealed class ClientAdviceTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string ClientTimeoutAdvice = "Try again in a minute; for a hunting query, narrow it";

    private Task<ServerHarness> StartWithShortTimeoutsAsync() =>
        ServerHarness.StartWithEnvironmentAsync(
            fixture,
            new Dictionary<string, string> { [EnvironmentVariables.AttemptTimeout] = "1", [EnvironmentVariables.CallTimeout] = "2" },
            ActionTier.Respond,
            ConfirmationMode.None);

    [Fact]
    public async Task A_read_that_timed_out_gives_the_client_advice_once_and_not_the_read_retry_advice()
    {
        await using var server = await StartWithShortTimeoutsAsync();
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 120_000, Count = 0, PathPattern = "^/v1\\.0/security/incidents/4301" }, Ct);
        try
        {
            var (code, message) = await server.CallErrorAsync("get_incident", new() { ["incident_id"] = "4301" });

            Assert.Equal("timeout", code);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "Try again"));
            Assert.Contains(ClientTimeoutAdvice, message, StringComparison.Ordinal);
            Assert.DoesNotContain(DefenderTool.ReadRetryAdvice, message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_write_that_timed_out_says_it_was_not_resent_and_not_to_try_again_in_a_minute()
    {
        await using var server = await StartWithShortTimeoutsAsync();
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 120_000, Count = 0, Tenant = "contoso", Method = "POST", PathPattern = "/api/indicators$" }, Ct);
        try
        {
            var (code, message) = await server.CallErrorAsync("add_indicator", new()
            {
                ["indicator_type"] = "IpAddress", ["value"] = "203.0.113.78", ["action"] = "Block", ["title"] = "t", ["description"] = "d",
            });

            Assert.Equal("timeout", code);
            Assert.StartsWith("Defender did not answer within", message, StringComparison.Ordinal);
            Assert.Contains("sent once and not resent, so it may have taken effect anyway", message, StringComparison.Ordinal);
            Assert.DoesNotContain("Try again in a minute", message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }
}
