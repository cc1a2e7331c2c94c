using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// A write first looks its target up. When the app lacks the lookup's role, the 403 named only that role
// (SecurityIncident.Read.All for update_incident): granting it led to a second 403 on the write. The message now says
// the refused request was the lookup and points at get_server_status, whose missing_roles has the write's role too.
public sealed class WriteLookupPermissionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task A_write_refused_on_its_lookup_says_so_and_points_at_every_missing_role()
    {
        var limited = fixture.Emulator.GetTenant("fabrikam").LimitedApp;
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => s with
            {
                Tenants =
                [
                    s.Tenants[0],
                    s.Tenants[1].SignedInAs(limited),
                ],
            },
            ActionTier.Respond,
            ConfirmationMode.None);

        var (code, message) = await server.CallErrorAsync("update_incident", new() { ["tenant"] = "fabrikam", ["incident_id"] = "7101", ["status"] = "resolved" });
        var status = await server.CallOkAsync("get_server_status", new() { ["tenant"] = "fabrikam" });

        Assert.Equal("permission_denied", code);
        Assert.Equal(
            "The app lacks the permission for this operation; it needs the application role SecurityIncident.Read.All. That role is for looking up the target before the write, which was not sent; the write itself may need another. get_server_status lists every role this tenant still lacks (missing_roles), the write's own among them.",
            message);
        Assert.Contains("SecurityIncident.ReadWrite.All", status.GetProperty("missing_roles").EnumerateArray().Select(r => r.GetString()));
        Assert.DoesNotContain(await fixture.Control.GetRequestsAsync(TestContext.Current.CancellationToken), r => r.Method == "PATCH");
    }
}
