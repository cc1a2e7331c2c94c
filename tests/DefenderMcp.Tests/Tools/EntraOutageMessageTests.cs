using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

// An Entra ID outage through the tool: the client's message already says to try again, so the tool adds no second
// "try again" of its own. Its own emulator: the token fault injected here must not reach other classes.
public sealed class EntraOutageMessageTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failing_token_endpoint_reads_once_as_an_Entra_outage_to_retry()
    {
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Count = 0, Tenant = "contoso", PathPattern = "token" }, Ct);
        try
        {
            await using var server = await ServerHarness.StartAsync(fixture);

            var (code, message) = await server.CallErrorAsync("list_alerts", new() { ["limit"] = 1, ["tenant"] = "contoso" });

            Assert.Equal("upstream_error", code);
            Assert.Equal(
                "Entra ID, which issues the access token, failed (503), so nothing was sent to Defender; the credential was not refused (nothing to rotate). Try again in a minute; if it keeps happening, Entra ID may be degraded (check the Azure status page).",
                message);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }
}
