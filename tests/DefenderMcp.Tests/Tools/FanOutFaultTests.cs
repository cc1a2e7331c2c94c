using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

// Its own emulator: the fault injected here must not reach other test classes.
public sealed class FanOutFaultTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task A_failing_tenant_does_not_spoil_the_others()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.AddFaultAsync(
            new FaultSpec { Status = 403, Count = 0, Tenant = "fabrikam", PathPattern = "runHuntingQuery" },
            TestContext.Current.CancellationToken);
        try
        {
            var result = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 2", ["tenant"] = "*" });

            var entries = result.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(2, entries.Count);
            var contoso = entries.Single(e => e.GetProperty("tenant").GetString() == "contoso");
            Assert.Equal(2, contoso.GetProperty("result").GetProperty("returned_rows").GetInt32());
            var fabrikam = entries.Single(e => e.GetProperty("tenant").GetString() == "fabrikam");
            Assert.False(fabrikam.TryGetProperty("result", out _));
            Assert.Equal("permission_denied", fabrikam.GetProperty("error").GetProperty("code").GetString());
            var audit = server.AuditLines().Last();
            Assert.Equal("partial", audit.GetProperty("outcome").GetString());
            Assert.Equal(1, audit.GetProperty("counts").GetProperty("failed_tenants").GetInt64());
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_throttled_single_tenant_call_reports_rate_limited_with_retry_after()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.AddFaultAsync(
            new FaultSpec { Status = 429, RetryAfterSeconds = 3600, Count = 0, Tenant = "contoso", PathPattern = "alerts_v2" },
            TestContext.Current.CancellationToken);
        try
        {
            var result = await server.CallAsync("list_alerts", new() { ["limit"] = 1 });

            Assert.True(result.IsError);
            var error = Assert.IsType<System.Text.Json.JsonElement>(result.StructuredContent).GetProperty("error");
            Assert.Equal("rate_limited", error.GetProperty("code").GetString());
            Assert.True(error.GetProperty("retry_after").GetInt32() > 0);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(TestContext.Current.CancellationToken);
        }
    }
}
