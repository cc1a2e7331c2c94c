using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// A write that Defender or Graph answers with a 5xx may have acted anyway (the service applied it, then failed). It is
// never resent, and its error must say so and where to see what happened; a bare "the service failed (500)" invites
// the analyst to retry, which adds a second comment or fails on a rule that now exists.
public sealed class FailedWriteTextTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string, string> Writes => new()
    {
        { "add_incident_comment", """{"incident_id": "4303", "comment": "Looked at it."}""", "POST", "/comments$", "a second comment" },
        { "update_alert", """{"alert_id": "da009011115472789762_-680810265", "status": "inProgress"}""", "PATCH", "/alerts_v2/", "get_alert" },
        { "add_indicator", """{"indicator_type": "IpAddress", "value": "203.0.113.77", "action": "Block", "title": "t", "description": "d"}""", "POST", "/api/indicators$", "list_indicators" },
        { "disable_user", """{"user": "adele.vance@contoso.com"}""", "PATCH", "/v1.0/users/", "idempotent" },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_that_failed_with_a_5xx_after_acting_says_it_was_not_resent_and_where_to_check(string tool, string json, string method, string path, string check)
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 500, Count = 1, Tenant = "contoso", Method = method, PathPattern = path, AfterEffect = true }, Ct);
        var before = await SentAsync(method, path);
        try
        {
            var args = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
            var (code, message) = await server.CallErrorAsync(tool, args);

            Assert.Equal("upstream_error", code);
            Assert.Equal(before + 1, await SentAsync(method, path));
            Assert.Contains("sent once and not resent, so it may have taken effect anyway", message, StringComparison.Ordinal);
            Assert.Contains(check, message, StringComparison.Ordinal);
            Assert.Equal("upstream_error", server.AuditLines().Last().GetProperty("error_code").GetString());
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task A_failed_isolation_found_pending_afterwards_is_named_in_plain_words()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 500, Count = 1, Tenant = "contoso", PathPattern = "/isolate$", AfterEffect = true }, Ct);
        try
        {
            var (code, message) = await server.CallErrorAsync("isolate_device", new() { ["device"] = "ctso-eng-ws-060.contoso.com", ["comment"] = "contain" });

            Assert.Equal("upstream_error", code);
            Assert.StartsWith("The Defender service failed (500", message, StringComparison.Ordinal);
            Assert.Contains(" Yet an Isolate action is now Pending on this device: id ", message, StringComparison.Ordinal);
            Assert.DoesNotContain(").)", message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    private async Task<int> SentAsync(string method, string path) =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == method && System.Text.RegularExpressions.Regex.IsMatch(r.Path, path));
}
