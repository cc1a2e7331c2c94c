using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
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

    private static ToolArguments Args(string? tenantJson) => new(
        tenantJson is null ? new Dictionary<string, JsonElement>() : new Dictionary<string, JsonElement> { ["tenant"] = JsonDocument.Parse(tenantJson).RootElement.Clone() },
        ["tenant"]);

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
        var known = Assert.Throws<ToolException>(() => TenantSelector.Select(Args("\"contoso\""), Settings, allowFanOut: true, FabrikamOnly));
        var unknown = Assert.Throws<ToolException>(() => TenantSelector.Select(Args("\"tailspin-secret-probe\""), Settings, allowFanOut: true, FabrikamOnly));
        var inList = Assert.Throws<ToolException>(() => TenantSelector.Select(Args("[\"fabrikam\", \"northwind\"]"), Settings, allowFanOut: true, FabrikamOnly));

        Assert.Equal((ErrorCodes.PolicyDenied, "That tenant is not available to this caller. Tenants available: fabrikam."), (known.Code, known.Message));
        Assert.Equal((known.Code, known.Message), (unknown.Code, unknown.Message));
        Assert.Equal((known.Code, known.Message), (inList.Code, inList.Message));
        Assert.DoesNotContain("northwind", inList.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_caller_without_tenants_gets_nothing_even_by_default()
    {
        var none = CallerGrant.Of(new Dictionary<string, ActionTier>());

        var byDefault = Assert.Throws<ToolException>(() => TenantSelector.Select(Args(null), Settings, allowFanOut: true, none));
        var star = Assert.Throws<ToolException>(() => TenantSelector.Select(Args("\"*\""), Settings, allowFanOut: true, none));

        Assert.Equal(ErrorCodes.PolicyDenied, byDefault.Code);
        Assert.Equal(ErrorCodes.PolicyDenied, star.Code);
        Assert.DoesNotContain("contoso", star.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_operator_keeps_the_unknown_tenant_message_that_lists_every_tenant()
    {
        var ex = Assert.Throws<ToolException>(() => TenantSelector.Select(Args("\"tailspin\""), Settings, allowFanOut: true));

        Assert.Equal(ErrorCodes.InvalidInput, ex.Code);
        Assert.Equal("Unknown tenant. Configured tenants: contoso, fabrikam, northwind.", ex.Message);
    }
}
