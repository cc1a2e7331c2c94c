using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;

namespace DefenderMcp.Tests.Policy;

/// <summary>Tenant selection under a caller's grant: "*", lists, defaults, and refusals that never reveal other tenants.</summary>
public sealed class TenantSelectorCallerTests
{
    private static readonly ServerSettings Settings = new()
    {
        Tenants = [CallerPolicyTests.Tenant("contoso", ActionTier.Respond), CallerPolicyTests.Tenant("fabrikam", ActionTier.Read), CallerPolicyTests.Tenant("northwind", ActionTier.Read)],
        DefaultTenant = "contoso",
    };

    private static readonly CallerGrant FabrikamOnly = CallerGrant.Of(new Dictionary<string, ActionTier> { ["fabrikam"] = ActionTier.Read });

    private static JsonElement? Args(string? tenantJson) =>
        tenantJson is null ? null : JsonDocument.Parse(tenantJson).RootElement.Clone();

    [Fact]
    public void Star_means_the_callers_tenants_only()
    {
        var selection = TenantSelector.Select(Args("\"*\""), Settings, allowFanOut: true, FabrikamOnly);

        Assert.Equal(["fabrikam"], selection.Keys);
        Assert.True(selection.IsFanOut);
    }

    [Fact]
    public void The_default_tenant_falls_back_to_the_callers_first_tenant()
    {
        Assert.Equal(["fabrikam"], TenantSelector.Select(Args(null), Settings, allowFanOut: true, FabrikamOnly).Keys);
        Assert.Equal(["contoso"], TenantSelector.Select(Args(null), Settings, allowFanOut: true).Keys);
    }

    [Fact]
    public void A_known_tenant_outside_the_grant_and_an_unknown_one_get_the_same_refusal()
    {
        var known = Assert.Throws<PolicyException>(() => TenantSelector.Select(Args("\"contoso\""), Settings, allowFanOut: true, FabrikamOnly));
        var unknown = Assert.Throws<PolicyException>(() => TenantSelector.Select(Args("\"tailspin-secret-probe\""), Settings, allowFanOut: true, FabrikamOnly));
        var inList = Assert.Throws<PolicyException>(() => TenantSelector.Select(Args("[\"fabrikam\", \"northwind\"]"), Settings, allowFanOut: true, FabrikamOnly));

        Assert.Equal((PolicyRefusal.Denied, "That tenant is not available to this caller. Tenants available: fabrikam."), (known.Refusal, known.Message));
        Assert.Equal((known.Refusal, known.Message), (unknown.Refusal, unknown.Message));
        Assert.Equal((known.Refusal, known.Message), (inList.Refusal, inList.Message));
        Assert.DoesNotContain("northwind", inList.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_caller_without_tenants_gets_nothing_even_by_default()
    {
        var none = CallerGrant.Of(new Dictionary<string, ActionTier>());

        var byDefault = Assert.Throws<PolicyException>(() => TenantSelector.Select(Args(null), Settings, allowFanOut: true, none));
        var star = Assert.Throws<PolicyException>(() => TenantSelector.Select(Args("\"*\""), Settings, allowFanOut: true, none));

        Assert.Equal(PolicyRefusal.Denied, byDefault.Refusal);
        Assert.Equal(PolicyRefusal.Denied, star.Refusal);
        Assert.DoesNotContain("contoso", star.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_operator_keeps_the_unknown_tenant_message_that_lists_every_tenant()
    {
        var ex = Assert.Throws<PolicyException>(() => TenantSelector.Select(Args("\"tailspin\""), Settings, allowFanOut: true));

        Assert.Equal(PolicyRefusal.InvalidInput, ex.Refusal);
        Assert.Equal("Unknown tenant. Configured tenants: contoso, fabrikam, northwind.", ex.Message);
    }
}
