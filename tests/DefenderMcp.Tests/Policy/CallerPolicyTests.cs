using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;

namespace DefenderMcp.Tests.Policy;

/// <summary>The caller policy as pure classes: which rules match, the union of grants, and the effective tier.</summary>
public sealed class CallerPolicyTests
{
    private const string ReaderGroup = "3a1c1f6e-9a55-4c3e-8a3e-0c7f2b9d1e01";
    private const string AdaOid = "7f0e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

    internal static TenantSettings Tenant(string key, ActionTier actions) => new(
        key,
        new DefenderTenantOptions
        {
            TenantId = Guid.NewGuid().ToString(),
            ClientId = Guid.NewGuid().ToString(),
            Credential = new ClientSecretCredentialSpec("unused"),
            Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial),
        },
        TenantPolicy.ReadOnlyDefault with { Actions = actions });

    private static readonly IReadOnlyList<TenantSettings> Tenants =
        [Tenant("contoso", ActionTier.LiveResponse), Tenant("fabrikam", ActionTier.Respond), Tenant("northwind", ActionTier.Read)];

    private static readonly CallerPolicy Policy = new(
    [
        new CallerRule(CallerMatchKind.Key, "ci-bot", ["contoso"], ActionTier.Read),
        new CallerRule(CallerMatchKind.Role, "Defender.Respond", [CallerRule.AllTenants], ActionTier.Respond),
        new CallerRule(CallerMatchKind.Group, ReaderGroup, ["fabrikam", "northwind"], ActionTier.Read),
        new CallerRule(CallerMatchKind.Oid, AdaOid, ["contoso"], ActionTier.LiveResponse),
    ]);

    [Fact]
    public void No_caller_is_the_operator_and_keeps_the_full_tenant_policy()
    {
        var grant = Policy.Grant(null, Tenants);

        Assert.True(grant.IsUnrestricted);
        Assert.Equal([ActionTier.LiveResponse, ActionTier.Respond, ActionTier.Read], Tenants.Select(t => grant.EffectiveTier(t)!.Value));
        Assert.Equal(ActionTier.LiveResponse, grant.HighestTier(Tenants));
    }

    [Fact]
    public void Without_a_callers_file_every_caller_keeps_the_tenant_policy()
    {
        var grant = CallerPolicy.Unrestricted.Grant(CallerContext.ApiKey("anyone"), Tenants);

        Assert.False(CallerPolicy.Unrestricted.IsEnforced);
        Assert.True(grant.IsUnrestricted);
        Assert.Equal(3, grant.AllowedTenants(Tenants).Count);
    }

    [Fact]
    public void A_key_rule_limits_its_key_to_its_tenants_and_tier()
    {
        var grant = Policy.Grant(CallerContext.ApiKey("ci-bot"), Tenants);

        Assert.Equal(["contoso"], grant.AllowedTenants(Tenants).Select(t => t.Key));
        Assert.Equal(ActionTier.Read, grant.EffectiveTier(Tenants[0]));
        Assert.Null(grant.EffectiveTier(Tenants[1]));
        Assert.False(grant.Allows("fabrikam"));
        Assert.Equal(ActionTier.Read, grant.HighestTier(Tenants));
    }

    [Fact]
    public void The_effective_tier_is_the_lower_of_the_tenant_and_the_caller()
    {
        var responder = Policy.Grant(CallerContext.Entra(Guid.NewGuid().ToString(), ["Defender.Respond"], []), Tenants);

        Assert.Equal(ActionTier.Respond, responder.EffectiveTier(Tenants[0]));
        Assert.Equal(ActionTier.Respond, responder.EffectiveTier(Tenants[1]));
        Assert.Equal(ActionTier.Read, responder.EffectiveTier(Tenants[2]));
    }

    [Fact]
    public void Matching_rules_add_up_per_tenant_to_the_highest_tier()
    {
        var ada = Policy.Grant(CallerContext.Entra(AdaOid.ToUpperInvariant(), [], [ReaderGroup]), Tenants);

        Assert.Equal(["contoso", "fabrikam", "northwind"], ada.AllowedTenants(Tenants).Select(t => t.Key));
        Assert.Equal(ActionTier.LiveResponse, ada.EffectiveTier(Tenants[0]));
        Assert.Equal(ActionTier.Read, ada.EffectiveTier(Tenants[1]));
    }

    [Fact]
    public void Rules_match_only_their_own_kind_of_caller()
    {
        // A key named like a role, or an Entra caller whose oid is a key's name, gets nothing from those rules.
        var keyNamedLikeRole = Policy.Grant(CallerContext.ApiKey("Defender.Respond"), Tenants);
        var entraNamedLikeKey = Policy.Grant(CallerContext.Entra("ci-bot", [], []), Tenants);
        var anonymous = Policy.Grant(new CallerContext("anonymous", CallerKind.Anonymous, ["Defender.Respond"], [ReaderGroup]), Tenants);

        Assert.Empty(keyNamedLikeRole.AllowedTenants(Tenants));
        Assert.Empty(entraNamedLikeKey.AllowedTenants(Tenants));
        Assert.Empty(anonymous.AllowedTenants(Tenants));
        Assert.Null(anonymous.HighestTier(Tenants));
    }

    [Fact]
    public void Role_names_are_case_sensitive_and_a_caller_no_rule_matches_gets_nothing()
    {
        var wrongCase = Policy.Grant(CallerContext.Entra(Guid.NewGuid().ToString(), ["defender.respond"], []), Tenants);

        Assert.False(wrongCase.IsUnrestricted);
        Assert.Empty(wrongCase.AllowedTenants(Tenants));
        Assert.Null(wrongCase.HighestTier(Tenants));
    }
}
