using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace DefenderMcp.Emulator.Tests;

public sealed class TokenEndpointTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Assertion(X509Certificate2 signer, X509Certificate2 named, string alg, string thumbprintHeader, string aud, string clientId, object nbf, object exp)
    {
        var header = new Dictionary<string, object> { ["alg"] = alg, ["typ"] = "JWT" };
        header[thumbprintHeader] = thumbprintHeader == "x5t" ? B64(SHA1.HashData(named.RawData)) : B64(SHA256.HashData(named.RawData));
        var claims = new Dictionary<string, object> { ["aud"] = aud, ["iss"] = clientId, ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString(), ["nbf"] = nbf, ["exp"] = exp };
        var input = B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        using var key = signer.GetRSAPrivateKey()!;
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, alg == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        return input + "." + B64(signature);
    }

    private Dictionary<string, string> AssertionForm(string clientId, string assertion) => new()
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = clientId,
        ["scope"] = "https://api.securitycenter.microsoft.com/.default",
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = assertion,
        ["client_info"] = "2",
    };

    private (X509Certificate2 Cert, string ClientId, string Aud) Contoso()
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        var cert = X509CertificateLoader.LoadPkcs12FromFile(tenant.App.CertificatePfxPath, tenant.App.CertificatePassphrase);
        return (cert, tenant.App.ClientId, $"{fixture.Emulator.BaseUri}{tenant.TenantId}/oauth2/v2.0/token");
    }

    [Theory]
    [InlineData("RS256", "x5t", false)]
    [InlineData("PS256", "x5t#S256", true)]
    public async Task A_valid_assertion_gets_a_token_with_tenant_audience_and_roles(string alg, string header, bool numericStrings)
    {
        var (cert, clientId, aud) = Contoso();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        object nbf = numericStrings ? now.ToString() : now;
        object exp = numericStrings ? (now + 600).ToString() : now + 600;

        var (status, body) = await fixture.TokenAsync(fixture.Emulator.GetTenant("contoso").TenantId, AssertionForm(clientId, Assertion(cert, cert, alg, header, aud, clientId, nbf, exp)));

        Assert.Equal(200, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        var payload = body.GetProperty("access_token").GetString()!.Split('.')[1];
        var claims = JsonDocument.Parse(Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '='))).RootElement;
        Assert.Equal(fixture.Emulator.GetTenant("contoso").TenantId, claims.GetProperty("tid").GetString());
        Assert.Equal("https://api.securitycenter.microsoft.com", claims.GetProperty("aud").GetString());
        Assert.Contains("Machine.Isolate", claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_forged_signature_is_refused()
    {
        var (cert, clientId, aud) = Contoso();
        using var rogueKey = RSA.Create(2048);
        using var rogue = new CertificateRequest("CN=rogue", rogueKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Signed by another key but naming the registered certificate's thumbprint.
        var (status, body) = await fixture.TokenAsync("contoso.com", AssertionForm(clientId, Assertion(rogue, cert, "PS256", "x5t#S256", aud, clientId, now, now + 600)));

        Assert.Equal(401, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Equal(700027, body.GetProperty("error_codes")[0].GetInt32());
        Assert.StartsWith("AADSTS700027", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_audience_is_refused()
    {
        var (cert, clientId, _) = Contoso();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var (status, body) = await fixture.TokenAsync(fixture.Emulator.GetTenant("contoso").TenantId, AssertionForm(clientId, Assertion(cert, cert, "PS256", "x5t#S256", "https://login.microsoftonline.com/other/oauth2/v2.0/token", clientId, now, now + 600)));

        Assert.Equal(401, status);
        Assert.Equal(700212, body.GetProperty("error_codes")[0].GetInt32());
    }

    [Fact]
    public async Task An_expired_or_future_assertion_is_refused()
    {
        var (cert, clientId, aud) = Contoso();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var tenant = fixture.Emulator.GetTenant("contoso").TenantId;

        var expired = await fixture.TokenAsync(tenant, AssertionForm(clientId, Assertion(cert, cert, "RS256", "x5t", aud, clientId, now - 7200, now - 3600)));
        var future = await fixture.TokenAsync(tenant, AssertionForm(clientId, Assertion(cert, cert, "RS256", "x5t", aud, clientId, now + 3600, now + 7200)));

        Assert.Equal(700024, expired.Body.GetProperty("error_codes")[0].GetInt32());
        Assert.Equal(700024, future.Body.GetProperty("error_codes")[0].GetInt32());
    }

    [Fact]
    public async Task An_issuer_that_is_not_the_client_is_refused()
    {
        var (cert, clientId, aud) = Contoso();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var (status, body) = await fixture.TokenAsync("contoso.com", AssertionForm(clientId, Assertion(cert, cert, "RS256", "x5t", aud.Replace(fixture.Emulator.GetTenant("contoso").TenantId, "contoso.com", StringComparison.Ordinal), "someone-else", now, now + 600)));

        Assert.Equal(401, status);
        Assert.Equal(700021, body.GetProperty("error_codes")[0].GetInt32());
    }

    [Theory]
    [InlineData("wrong-secret", "https://graph.microsoft.com/.default", 7000215)]
    [InlineData(null, "https://graph.microsoft.com", 70011)]
    [InlineData(null, "https://graph.microsoft.com/.default https://api.securitycenter.microsoft.com/.default", 70011)]
    public async Task Secret_errors_are_entra_shaped(string? secret, string scope, int code)
    {
        var tenant = fixture.Emulator.GetTenant("fabrikam");

        var (status, body) = await fixture.TokenAsync(tenant.TenantId, new() { ["grant_type"] = "client_credentials", ["client_id"] = tenant.App.ClientId, ["client_secret"] = secret ?? tenant.App.ClientSecret, ["scope"] = scope });

        Assert.InRange(status, 400, 401);
        Assert.Equal(code, body.GetProperty("error_codes")[0].GetInt32());
        Assert.True(body.TryGetProperty("trace_id", out _));
        Assert.True(body.TryGetProperty("correlation_id", out _));
    }

    [Fact]
    public async Task Unknown_tenant_and_app_are_refused()
    {
        var tenant = fixture.Emulator.GetTenant("fabrikam");

        var unknownTenant = await fixture.TokenAsync("00000000-0000-0000-0000-000000000000", new() { ["grant_type"] = "client_credentials", ["client_id"] = tenant.App.ClientId, ["client_secret"] = tenant.App.ClientSecret, ["scope"] = "https://graph.microsoft.com/.default" });
        var appOfOtherTenant = await fixture.TokenAsync(tenant.TenantId, new() { ["grant_type"] = "client_credentials", ["client_id"] = fixture.Emulator.GetTenant("contoso").App.ClientId, ["client_secret"] = "x", ["scope"] = "https://graph.microsoft.com/.default" });

        Assert.Equal(90002, unknownTenant.Body.GetProperty("error_codes")[0].GetInt32());
        Assert.Equal(700016, appOfOtherTenant.Body.GetProperty("error_codes")[0].GetInt32());
    }
}
