using DefenderMcp.Emulator.Data;

namespace DefenderMcp.Emulator.Tests;

/// <summary>Graph users and Identity Protection risky users: shapes, state changes, permissions and errors (§2.7).</summary>
public sealed class IdentityApiTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly StoryNames Fabrikam = StoryNames.For("fabrikam", 1);

    private static string IdOf(string account) => UserDirectory.UserId(Fabrikam, account);

    [Fact]
    public async Task A_user_is_found_by_upn_or_id_and_an_unknown_one_is_a_graph_404()
    {
        var token = await fixture.SecretTokenAsync("fabrikam");

        var byUpn = await fixture.SendAsync(HttpMethod.Get, "v1.0/users/kim.akers%40fabrikam.com", token);
        var byId = await fixture.SendAsync(HttpMethod.Get, $"v1.0/users/{IdOf("kim.akers")}", token);
        var unknown = await fixture.SendAsync(HttpMethod.Get, "v1.0/users/nobody@fabrikam.com", token);

        Assert.Equal(200, byUpn.Status);
        Assert.Equal((IdOf("kim.akers"), "kim.akers@fabrikam.com", true), (byUpn.Json.GetProperty("id").GetString(), byUpn.Json.GetProperty("userPrincipalName").GetString(), byUpn.Json.GetProperty("accountEnabled").GetBoolean()));
        Assert.Equal(byUpn.Text, byId.Text);
        Assert.Equal((404, "Request_ResourceNotFound"), (unknown.Status, unknown.ErrorCode));
        Assert.True(unknown.Json.GetProperty("error").GetProperty("innerError").TryGetProperty("request-id", out _));
    }

    [Fact]
    public async Task Revoke_answers_200_true_and_patch_flips_account_enabled_with_204()
    {
        var token = await fixture.SecretTokenAsync("fabrikam");

        var revoke = await fixture.SendAsync(HttpMethod.Post, $"v1.0/users/{IdOf("mary.ellis")}/revokeSignInSessions", token);
        var disable = await fixture.SendAsync(HttpMethod.Patch, $"v1.0/users/{IdOf("mary.ellis")}", token, new { accountEnabled = false });
        var after = await fixture.SendAsync(HttpMethod.Get, $"v1.0/users/{IdOf("mary.ellis")}", token);
        var other = await fixture.SendAsync(HttpMethod.Patch, $"v1.0/users/{IdOf("mary.ellis")}", token, new { displayName = "x" });
        var wrongType = await fixture.SendAsync(HttpMethod.Patch, $"v1.0/users/{IdOf("mary.ellis")}", token, new { accountEnabled = "no" });

        Assert.Equal(200, revoke.Status);
        Assert.True(revoke.Json.GetProperty("value").GetBoolean());
        Assert.Equal(204, disable.Status);
        Assert.False(after.Json.GetProperty("accountEnabled").GetBoolean());
        Assert.Equal((400, "Request_BadRequest"), (other.Status, other.ErrorCode));
        Assert.Equal((400, "Request_BadRequest"), (wrongType.Status, wrongType.ErrorCode));
    }

    [Fact]
    public async Task Confirm_and_dismiss_set_the_stored_risk()
    {
        var token = await fixture.SecretTokenAsync("fabrikam");
        var jonas = IdOf("jonas.berg");

        var before = await fixture.SendAsync(HttpMethod.Get, $"v1.0/identityProtection/riskyUsers/{jonas}", token);
        var confirm = await fixture.SendAsync(HttpMethod.Post, "v1.0/identityProtection/riskyUsers/confirmCompromised", token, new { userIds = new[] { jonas } });
        var confirmed = await fixture.SendAsync(HttpMethod.Get, $"v1.0/identityProtection/riskyUsers/{jonas}", token);
        var dismiss = await fixture.SendAsync(HttpMethod.Post, "v1.0/identityProtection/riskyUsers/dismiss", token, new { userIds = new[] { jonas } });
        var dismissed = await fixture.SendAsync(HttpMethod.Get, $"v1.0/identityProtection/riskyUsers/{jonas}", token);
        var malformed = await fixture.SendAsync(HttpMethod.Post, "v1.0/identityProtection/riskyUsers/dismiss", token, new { userIds = new[] { "jonas.berg@fabrikam.com" } });

        Assert.Equal(("high", "atRisk"), (before.Json.GetProperty("riskLevel").GetString(), before.Json.GetProperty("riskState").GetString()));
        Assert.Equal(204, confirm.Status);
        Assert.Equal(("high", "confirmedCompromised"), (confirmed.Json.GetProperty("riskLevel").GetString(), confirmed.Json.GetProperty("riskState").GetString()));
        Assert.Equal(204, dismiss.Status);
        Assert.Equal(("none", "dismissed"), (dismissed.Json.GetProperty("riskLevel").GetString(), dismissed.Json.GetProperty("riskState").GetString()));
        Assert.Equal(400, malformed.Status);
    }

    [Fact]
    public async Task Check_member_groups_is_transitive_and_answers_only_the_asked_groups()
    {
        var token = await fixture.SecretTokenAsync("fabrikam");
        var privileged = UserDirectory.PrivilegedAccessGroupId("fabrikam.com");
        var tierZero = UserDirectory.TierZeroAdminsGroupId("fabrikam.com");
        var unrelated = Guid.NewGuid().ToString();

        var admin = await fixture.SendAsync(HttpMethod.Post, "v1.0/users/it.admin@fabrikam.com/checkMemberGroups", token, new { groupIds = new[] { privileged, unrelated } });
        var user = await fixture.SendAsync(HttpMethod.Post, "v1.0/users/kim.akers@fabrikam.com/checkMemberGroups", token, new { groupIds = new[] { privileged, tierZero } });
        var tooMany = await fixture.SendAsync(HttpMethod.Post, "v1.0/users/kim.akers@fabrikam.com/checkMemberGroups", token, new { groupIds = Enumerable.Range(0, 21).Select(_ => Guid.NewGuid().ToString()).ToArray() });

        Assert.Equal([privileged], admin.Json.GetProperty("value").EnumerateArray().Select(v => v.GetString()));
        Assert.Empty(user.Json.GetProperty("value").EnumerateArray());
        Assert.Equal(400, tooMany.Status);
    }

    [Fact]
    public async Task The_limited_app_is_refused_each_identity_route()
    {
        var token = await fixture.SecretTokenAsync("fabrikam", limited: true);

        var get = await fixture.SendAsync(HttpMethod.Get, "v1.0/users/kim.akers@fabrikam.com", token);
        var revoke = await fixture.SendAsync(HttpMethod.Post, "v1.0/users/kim.akers@fabrikam.com/revokeSignInSessions", token);
        var patch = await fixture.SendAsync(HttpMethod.Patch, "v1.0/users/kim.akers@fabrikam.com", token, new { accountEnabled = false });
        var risk = await fixture.SendAsync(HttpMethod.Post, "v1.0/identityProtection/riskyUsers/confirmCompromised", token, new { userIds = new[] { IdOf("kim.akers") } });

        Assert.All(new[] { get, revoke, patch, risk }, r => Assert.Equal(403, r.Status));
        Assert.Contains("User.RevokeSessions.All", revoke.Text, StringComparison.Ordinal);
        Assert.Contains("IdentityRiskyUser.ReadWrite.All", risk.Text, StringComparison.Ordinal);
    }
}
