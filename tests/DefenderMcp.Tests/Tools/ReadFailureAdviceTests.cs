using System.Text.Json;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

// A read that Defender fails (5xx, 504, an unreadable body) says what happened and what to do next: that trying again
// is safe, and when to suspect the service; before, it said only "The Defender service failed (500, UnknownError)."
public sealed class ReadFailureAdviceTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(500, null, "upstream_error", "The Defender service failed (500")]
    [InlineData(504, null, "timeout", "The Defender service timed out (504)")]
    [InlineData(0, "truncated", "upstream_error", "malformed")]
    public async Task A_failed_read_says_trying_again_is_safe(int status, string? body, string expectedCode, string expectedStart)
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = status, Body = body, Count = 0, PathPattern = "^/v1\\.0/security/incidents/4301" }, Ct);
        try
        {
            var (code, message) = await server.CallErrorAsync("get_incident", new() { ["incident_id"] = "4301" });

            Assert.Equal(expectedCode, code);
            Assert.Contains(expectedStart, message, StringComparison.Ordinal);
            Assert.EndsWith("A read changes nothing, so try it again in a minute; if it keeps failing, the service may be degraded (see Microsoft 365 service health).", message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_read_refused_for_a_missing_role_says_who_grants_it_and_where_the_others_show()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, Count = 0, PathPattern = "^/v1\\.0/security/runHuntingQuery" }, Ct);
        try
        {
            var (code, message) = await server.CallErrorAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | where Timestamp > ago(1d) | take 1" });

            Assert.Equal("permission_denied", code);
            Assert.Equal(
                "The app lacks the permission for this operation; it needs the application role ThreatHunting.Read.All. An administrator grants it to the app registration as an application permission, with admin consent; get_server_status lists every role this tenant still lacks.",
                message);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task In_a_fan_out_the_failed_tenant_gets_the_advice_and_the_other_answers()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Count = 0, Tenant = "fabrikam", PathPattern = "^/v1\\.0/security/alerts_v2" }, Ct);
        try
        {
            var result = await server.CallOkAsync("list_alerts", new() { ["limit"] = 1, ["tenant"] = "*" });

            var entries = result.GetProperty("results").EnumerateArray().ToDictionary(e => e.GetProperty("tenant").GetString()!);
            Assert.Equal(JsonValueKind.Object, entries["contoso"].GetProperty("result").ValueKind);
            var error = entries["fabrikam"].GetProperty("error");
            Assert.Equal("upstream_error", error.GetProperty("code").GetString());
            Assert.Contains("try it again in a minute", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }
}
