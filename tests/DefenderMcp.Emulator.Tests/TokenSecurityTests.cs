using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Emulator.Security;

namespace DefenderMcp.Emulator.Tests;

public sealed class TokenSecurityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static JsonObject Part(string token, int index)
    {
        var p = token.Split('.')[index];
        return JsonNode.Parse(Convert.FromBase64String(p.Replace('-', '+').Replace('_', '/').PadRight(p.Length + ((4 - (p.Length % 4)) % 4), '=')))!.AsObject();
    }

    // Signed with the real signing key: only the claims make it invalid.
    private static string Resign(string token, Action<JsonObject> change)
    {
        var header = Part(token, 0);
        var claims = Part(token, 1);
        change(claims);
        var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        using var key = DemoKeys.Create(DemoKeys.TokenSigning);
        return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task The_secret_also_works_with_http_basic_and_the_tenant_domain()
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        using var request = new HttpRequestMessage(HttpMethod.Post, "contoso.com/oauth2/v2.0/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "https://api.security.microsoft.com/.default", ["client_info"] = "2" }),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(tenant.App.ClientId)}:{Uri.EscapeDataString(tenant.App.ClientSecret)}")));
        using var response = await fixture.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(3599, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(3599, body.GetProperty("ext_expires_in").GetInt32());
        var claims = Part(body.GetProperty("access_token").GetString()!, 1);
        Assert.Equal("https://api.securitycenter.microsoft.com", claims["aud"]!.GetValue<string>());
        Assert.Equal($"https://sts.windows.net/{tenant.TenantId}/", claims["iss"]!.GetValue<string>());
        Assert.Equal(tenant.App.ClientId, claims["appid"]!.GetValue<string>());
        Assert.Equal(tenant.App.MdeRoles, claims["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task A_malformed_basic_header_is_an_entra_error_not_a_crash()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "contoso.com/oauth2/v2.0/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "https://graph.microsoft.com/.default" }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Basic %%%not-base64");
        using var response = await fixture.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Other_grants_are_unsupported()
    {
        var tenant = fixture.Emulator.GetTenant("contoso");

        var (status, body) = await fixture.TokenAsync(tenant.TenantId, new() { ["grant_type"] = "password", ["client_id"] = tenant.App.ClientId, ["scope"] = "https://graph.microsoft.com/.default" });

        Assert.Equal(400, status);
        Assert.Equal(("unsupported_grant_type", 70003), (body.GetProperty("error").GetString(), body.GetProperty("error_codes")[0].GetInt32()));
    }

    [Fact]
    public async Task Expired_or_foreign_tokens_are_401_even_when_correctly_signed()
    {
        var token = await fixture.SecretTokenAsync("contoso");
        var expired = Resign(token, c => c["exp"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds());
        var wrongAudience = Resign(token, c => c["aud"] = "https://api.securitycenter.microsoft.com");
        var unknownTenant = Resign(token, c => c["tid"] = Guid.NewGuid().ToString());
        var stillValid = Resign(token, c => c["jti"] = "x");

        Assert.Equal(200, (await fixture.GetAsync("v1.0/security/incidents?$top=1", stillValid)).Status);
        Assert.Equal(401, (await fixture.GetAsync("v1.0/security/incidents?$top=1", expired)).Status);
        Assert.Equal(401, (await fixture.GetAsync("v1.0/security/incidents?$top=1", wrongAudience)).Status);
        Assert.Equal(401, (await fixture.GetAsync("v1.0/security/incidents?$top=1", unknownTenant)).Status);
        Assert.Equal(401, (await fixture.SendAsync(HttpMethod.Get, "v1.0/security/incidents?$top=1", null)).Status);
    }

    [Fact]
    public async Task A_token_of_another_emulator_is_refused()
    {
        await using var other = await DefenderEmulator.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);
        var tenant = other.GetTenant("contoso");
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(other.TlsCertificate.RawData) } }) { BaseAddress = other.BaseUri };
        using var response = await http.PostAsync($"{tenant.TenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = tenant.App.ClientId,
            ["client_secret"] = tenant.App.ClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        }), TestContext.Current.CancellationToken);
        var foreign = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("access_token").GetString()!;

        Assert.Equal(fixture.Emulator.GetTenant("contoso").TenantId, tenant.TenantId);
        Assert.Equal(401, (await fixture.GetAsync("v1.0/security/incidents?$top=1", foreign)).Status);
    }

    [Fact]
    public async Task The_tls_certificate_names_the_loopback_address_and_is_written_as_pem()
    {
        var pem = await File.ReadAllTextAsync(fixture.Emulator.CertificatePemPath, TestContext.Current.CancellationToken);
        using var fromPem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);

        Assert.Equal(fixture.Emulator.TlsCertificate.RawData, fromPem.RawData);
        Assert.False(fixture.Emulator.TlsCertificate.HasPrivateKey);
        Assert.True(fromPem.MatchesHostname("127.0.0.1"));
        Assert.True(fromPem.MatchesHostname("localhost"));
        Assert.Equal("127.0.0.1", fixture.Emulator.BaseUri.Host);
    }

    [Fact]
    public void Demo_app_files_are_private_and_hold_what_they_say()
    {
        var app = fixture.Emulator.GetTenant("fabrikam").App;

        using var fromPfx = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(app.CertificatePfxPath, app.CertificatePassphrase);
        using var fromPem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(app.CertificatePemPath);

        Assert.Equal(app.CertificateThumbprint, fromPfx.Thumbprint);
        Assert.Equal(app.CertificateThumbprint, fromPem.Thumbprint);
        Assert.True(fromPem.HasPrivateKey);
        Assert.Equal(2048, fromPem.GetRSAPrivateKey()!.KeySize);
        Assert.DoesNotContain("ENCRYPTED", File.ReadAllText(app.CertificatePemPath), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(app.CertificatePfxPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(app.CertificatePemPath));
        }
    }
}
