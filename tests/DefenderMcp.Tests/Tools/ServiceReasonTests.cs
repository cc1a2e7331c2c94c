using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

// Defender's own reason for a refusal is quoted inside our sentence; its full stop must not leave "off.. An".
public sealed class ServiceReasonTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("DisabledFeature", "feature_disabled", "Advanced features are turned off for this tenant.")]
    [InlineData("DisallowedOperation", "operation_disallowed", "Listing machines is not allowed for this device group.")]
    public async Task A_service_reason_that_ends_with_a_full_stop_reads_as_one_sentence(string upstreamCode, string expectedCode, string reason)
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, Code = upstreamCode, Message = reason, PathPattern = "^/api/machines\\?", Method = "GET", Count = 0 }, Ct);
        try
        {
            var (code, message) = await server.CallErrorAsync("list_devices", new() { ["limit"] = 1 });

            Assert.Equal(expectedCode, code);
            Assert.Contains(": " + reason.TrimEnd('.') + ". ", message, StringComparison.Ordinal);
            Assert.DoesNotContain("..", message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }
}
