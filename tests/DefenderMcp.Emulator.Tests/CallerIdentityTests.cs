using System.Text.Json;
using DefenderMcp.Emulator.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace DefenderMcp.Emulator.Tests;

/// <summary>
/// The emulator as the identity provider of the server's callers, checked with the same Microsoft.IdentityModel
/// stack the ASP.NET Core JWT bearer handler uses: discovery, JWKS, key rotation, and each broken token variant.
/// </summary>
public sealed class CallerIdentityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Audience = "api://defender-mcp";

    private string Authority(string tenantKey) => $"{fixture.Emulator.BaseUri}{fixture.Emulator.GetTenant(tenantKey).TenantId}/v2.0";

    private ConfigurationManager<OpenIdConnectConfiguration> Discovery(string tenantKey) => new(
        Authority(tenantKey) + "/.well-known/openid-configuration",
        new OpenIdConnectConfigurationRetriever(),
        new HttpDocumentRetriever(fixture.Http) { RequireHttps = true });

    private async Task<TokenValidationResult> ValidateAsync(string token, string tenantKey, ConfigurationManager<OpenIdConnectConfiguration>? discovery = null)
    {
        var parameters = new TokenValidationParameters
        {
            ValidAudience = Audience,
            ValidIssuer = Authority(tenantKey),
            ConfigurationManager = discovery ?? Discovery(tenantKey),
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters);
    }

    private Task<CallerTokenResult> MintAsync(CallerTokenRequest request) =>
        fixture.Control.MintCallerTokenAsync(request, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Discovery_names_the_v2_issuer_and_a_jwks_with_the_current_key()
    {
        var contoso = fixture.Emulator.GetTenant("contoso");
        var (status, config) = await fixture.GetAsync("contoso/v2.0/.well-known/openid-configuration", "unused");
        var jwksUri = new Uri(config.GetProperty("jwks_uri").GetString()!);
        var (keysStatus, jwks) = await fixture.GetAsync(jwksUri.PathAndQuery.TrimStart('/'), "unused");
        var unknown = await fixture.GetAsync("no-such-tenant/v2.0/.well-known/openid-configuration", "unused");

        Assert.Equal(200, status);
        Assert.Equal($"https://127.0.0.1:{fixture.Emulator.BaseUri.Port}/{contoso.TenantId}/v2.0", config.GetProperty("issuer").GetString());
        Assert.Equal(200, keysStatus);
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _), "the JWKS must never carry private key parts");
        Assert.Equal(400, unknown.Status);
        Assert.Equal("invalid_tenant", unknown.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_minted_token_validates_with_oid_tid_roles_and_groups()
    {
        var group = Guid.NewGuid().ToString();
        var minted = await MintAsync(new CallerTokenRequest { Tenant = "contoso", Audience = Audience, Name = "Ada Analyst", Roles = ["Defender.Read"], Groups = [group] });

        var result = await ValidateAsync(minted.Token, "contoso");

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(CallerIdentityProvider.OidFor(fixture.Emulator.GetTenant("contoso").TenantId, "Ada Analyst"), result.Claims["oid"]);
        Assert.Equal(minted.Oid, result.Claims["oid"]);
        Assert.Equal(fixture.Emulator.GetTenant("contoso").TenantId, result.Claims["tid"]);
        Assert.Equal("Defender.Read", result.Claims["roles"]);
        Assert.Equal(group, result.Claims["groups"]);
    }

    [Fact]
    public async Task Expired_not_yet_valid_wrong_audience_wrong_issuer_unsigned_and_foreign_tokens_are_refused()
    {
        var expired = await MintAsync(new CallerTokenRequest { Tenant = "contoso", Audience = Audience, LifetimeSeconds = -600 });
        var early = await MintAsync(new CallerTokenRequest { Tenant = "contoso", Audience = Audience, NotBeforeSeconds = 600 });
        var otherAudience = await MintAsync(new CallerTokenRequest { Tenant = "contoso", Audience = "api://someone-else" });
        var otherIssuer = await MintAsync(new CallerTokenRequest { Tenant = "contoso", Audience = Audience, Issuer = "https://login.microsoftonline.com/common/v2.0" });
        var otherTenant = await MintAsync(new CallerTokenRequest { Tenant = "fabrikam", Audience = Audience });
        var unsigned = await MintAsync(new CallerTokenRequest { Tenant = "contoso", Audience = Audience, Signing = CallerSigning.None });
        var foreign = await MintAsync(new CallerTokenRequest { Tenant = "contoso", Audience = Audience, Signing = CallerSigning.Foreign });

        Assert.IsType<SecurityTokenExpiredException>((await ValidateAsync(expired.Token, "contoso")).Exception);
        Assert.IsType<SecurityTokenNotYetValidException>((await ValidateAsync(early.Token, "contoso")).Exception);
        Assert.IsType<SecurityTokenInvalidAudienceException>((await ValidateAsync(otherAudience.Token, "contoso")).Exception);
        Assert.IsType<SecurityTokenInvalidIssuerException>((await ValidateAsync(otherIssuer.Token, "contoso")).Exception);
        Assert.IsType<SecurityTokenInvalidIssuerException>((await ValidateAsync(otherTenant.Token, "contoso")).Exception);
        Assert.EndsWith(".", unsigned.Token, StringComparison.Ordinal);
        Assert.Null(unsigned.KeyId);
        Assert.False((await ValidateAsync(unsigned.Token, "contoso")).IsValid);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>((await ValidateAsync(foreign.Token, "contoso")).Exception);
        Assert.DoesNotContain(foreign.KeyId, await PublishedKidsAsync());
    }

    [Fact]
    public async Task Rotation_publishes_a_new_key_and_retiring_removes_the_old_one()
    {
        var before = await MintAsync(new CallerTokenRequest { Tenant = "fabrikam", Audience = Audience });
        var discovery = Discovery("fabrikam");
        Assert.True((await ValidateAsync(before.Token, "fabrikam", discovery)).IsValid);

        var newKid = await fixture.Control.RotateCallerKeysAsync(retirePrevious: false, TestContext.Current.CancellationToken);
        var after = await MintAsync(new CallerTokenRequest { Tenant = "fabrikam", Audience = Audience });
        Assert.Equal(newKid, after.KeyId);
        Assert.Contains(before.KeyId, await PublishedKidsAsync());

        // A fresh discovery sees both keys; a cached one knows the new key id once it refreshes.
        Assert.True((await ValidateAsync(before.Token, "fabrikam")).IsValid);
        Assert.True((await ValidateAsync(after.Token, "fabrikam")).IsValid);
        discovery.RefreshInterval = TimeSpan.FromSeconds(1);
        for (var i = 0; i < 50 && !(await discovery.GetConfigurationAsync(TestContext.Current.CancellationToken)).SigningKeys.Any(k => k.KeyId == newKid); i++)
        {
            discovery.RequestRefresh();
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.True((await ValidateAsync(after.Token, "fabrikam", discovery)).IsValid);

        await fixture.Control.RotateCallerKeysAsync(retirePrevious: true, TestContext.Current.CancellationToken);
        Assert.Single(await PublishedKidsAsync());
        Assert.False((await ValidateAsync(before.Token, "fabrikam")).IsValid);
    }

    [Fact]
    public async Task The_control_plane_refuses_bad_mint_requests()
    {
        using var badSigning = await fixture.Http.PostAsync("_emulator/caller-token", JsonContent("{\"tenant\":\"contoso\",\"audience\":\"x\",\"signing\":\"hs256\"}"), TestContext.Current.CancellationToken);
        using var noAudience = await fixture.Http.PostAsync("_emulator/caller-token", JsonContent("{\"tenant\":\"contoso\"}"), TestContext.Current.CancellationToken);
        using var unknownTenant = await fixture.Http.PostAsync("_emulator/caller-token", JsonContent("{\"tenant\":\"nobody\",\"audience\":\"x\"}"), TestContext.Current.CancellationToken);

        Assert.Equal(400, (int)badSigning.StatusCode);
        Assert.Equal(400, (int)noAudience.StatusCode);
        Assert.Equal(400, (int)unknownTenant.StatusCode);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private async Task<IReadOnlyList<string?>> PublishedKidsAsync()
    {
        var (_, jwks) = await fixture.GetAsync("contoso/discovery/v2.0/keys", "unused");
        return [.. jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString())];
    }
}
