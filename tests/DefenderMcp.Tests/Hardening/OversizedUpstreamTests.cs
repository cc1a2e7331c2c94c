using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// Through an MCP client: an upstream page streamed chunked with no Content-Length past the client's 32 MB cap (the
/// emulator's <c>oversized</c> fault, 40 MiB) makes the tool return upstream_error naming the cap, not a crash and not
/// malformed JSON after reading it all; the same server then answers the next call.
/// </summary>
public sealed class OversizedUpstreamTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_endless_chunked_page_is_upstream_error_and_the_server_serves_the_next_call()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.AddFaultAsync(new FaultSpec { Body = "oversized", Tenant = "contoso", PathPattern = "/api/machines\\?" }, Ct);

        var (code, message) = await server.CallErrorAsync("list_devices", new() { ["limit"] = 5 });
        var devices = await server.CallOkAsync("list_devices", new() { ["limit"] = 5 });

        Assert.Equal("upstream_error", code);
        Assert.Contains("33554432-byte cap", message, StringComparison.Ordinal);
        Assert.Equal(5, devices.GetProperty("devices").GetArrayLength());
    }
}
