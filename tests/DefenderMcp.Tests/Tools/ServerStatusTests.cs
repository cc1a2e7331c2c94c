using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

public sealed class ServerStatusTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Status_reports_roles_auth_and_what_a_limited_app_lacks()
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
            ActionTier.Respond);

        var status = await server.CallOkAsync("get_server_status", new() { ["tenant"] = "*" });

        var entries = status.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("result")).ToList();
        var contoso = entries.Single(e => e.GetProperty("tenant").GetString() == "contoso");
        var fabrikam = entries.Single(e => e.GetProperty("tenant").GetString() == "fabrikam");
        Assert.Equal(("ok", "ok"), (contoso.GetProperty("graph_auth").GetString(), contoso.GetProperty("defender_auth").GetString()));
        Assert.Empty(contoso.GetProperty("missing_roles").EnumerateArray());
        Assert.Equal("respond", contoso.GetProperty("actions").GetString());
        Assert.Equal(10, contoso.GetProperty("actions_left_this_hour").GetInt32());
        var missing = fabrikam.GetProperty("missing_roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("SecurityIncident.Read.All", missing);
        Assert.Contains("Machine.Isolate", missing);
        Assert.DoesNotContain("ThreatHunting.Read.All", missing);
    }

    // A tenant whose credential is refused gets no token, so nothing is known of its roles: the status says the sign-in
    // failed and asks for no roles, where it listed every role of the tier as if granting them would help.
    [Fact]
    public async Task A_tenant_whose_tokens_fail_reports_the_auth_failure_and_no_missing_roles()
    {
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => s with { Tenants = [s.Tenants[0], s.Tenants[1] with { Connection = s.Tenants[1].Connection with { Credential = new ClientSecretCredentialSpec("not-the-secret") } }] });

        var status = await server.CallOkAsync("get_server_status", new() { ["tenant"] = "*" });

        var entries = status.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("result")).ToList();
        var fabrikam = entries.Single(e => e.GetProperty("tenant").GetString() == "fabrikam");
        Assert.Equal(("auth_failure", "auth_failure"), (fabrikam.GetProperty("graph_auth").GetString(), fabrikam.GetProperty("defender_auth").GetString()));
        Assert.Empty(fabrikam.GetProperty("granted_roles").EnumerateArray());
        Assert.Empty(fabrikam.GetProperty("missing_roles").EnumerateArray());
        Assert.Empty(entries.Single(e => e.GetProperty("tenant").GetString() == "contoso").GetProperty("missing_roles").EnumerateArray());
    }

    // The limited app holds ThreatHunting.Read.All and Machine.Read.All only; a read-only server asks for the roles of
    // the toolsets it lists, not those of areas it does not (vulnerabilities, entities, indicators ...).
    [Theory]
    [InlineData("hunting,status", "", "SecurityIncident.Read.All,Vulnerability.Read.All,Alert.Read.All")]
    [InlineData("", "SecurityIncident.Read.All,SecurityAlert.Read.All,Alert.Read.All", "Vulnerability.Read.All,File.Read.All,Ti.ReadWrite.All,CustomDetection.Read.All")]
    [InlineData("vulnerabilities,status", "Vulnerability.Read.All,Software.Read.All,SecurityEvents.Read.All", "SecurityIncident.Read.All,Alert.Read.All,File.Read.All")]
    public async Task Missing_roles_follow_the_listed_toolsets(string toolsets, string expected, string absent)
    {
        var limited = fixture.Emulator.GetTenant("contoso").LimitedApp;
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => s with
            {
                Tenants = [s.Tenants[0].SignedInAs(limited)],
                Toolsets = toolsets.Length == 0 ? null : toolsets.Split(',').ToHashSet(StringComparer.Ordinal),
            });

        var status = await server.CallOkAsync("get_server_status", new() { ["tenant"] = "contoso" });

        var missing = status.GetProperty("missing_roles").EnumerateArray().Select(r => r.GetString()).ToList();
        foreach (var role in expected.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Contains(role, missing);
        }

        foreach (var role in absent.Split(','))
        {
            Assert.DoesNotContain(role, missing);
        }

        Assert.Equal(expected.Length == 0, missing.Count == 0);
    }
}
