using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// A 429 whose Retry-After outlasts the call's bound: waiting ran into the bound and the analyst read "Defender did not
// answer within 4 s", though Defender had answered, with a throttle. It is rate_limited now, with Defender's wait.
// Its own emulator: the fault answers every isolate of the tenant.
public sealed class ThrottledWriteTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_throttled_write_whose_wait_outlasts_the_call_bound_is_rate_limited_with_that_wait()
    {
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => new CallTimeouts(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4)).ApplyTo(s),
            ActionTier.Respond,
            ConfirmationMode.None);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 429, RetryAfterSeconds = 20, Count = 0, Tenant = "contoso", PathPattern = "/isolate$" }, Ct);
        try
        {
            var result = await server.CallAsync("isolate_device", new() { ["device"] = "ctso-sales-lt-102.contoso.com", ["comment"] = "contain" });

            var error = ((System.Text.Json.JsonElement)result.StructuredContent!).GetProperty("error");
            Assert.Equal("rate_limited", error.GetProperty("code").GetString());
            Assert.Equal(20, error.GetProperty("retry_after").GetInt32());
            Assert.DoesNotContain("did not answer", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.EndsWith("/isolate", StringComparison.Ordinal)));
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }
}
