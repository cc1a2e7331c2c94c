using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace DefenderMcp.Emulator.Tests;

/// <summary>The token endpoint as the real SDK (Azure.Identity 1.21) talks to it: secret, certificate, federated token.</summary>
public sealed class AzureIdentityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TokenRequestContext Graph = new(["https://graph.microsoft.com/.default"]);
    private static readonly TokenRequestContext Mde = new(["https://api.securitycenter.microsoft.com/.default"]);

    private T Configure<T>(T options) where T : TokenCredentialOptions
    {
        var pinned = fixture.Emulator.TlsCertificate.RawData;
        var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && c.GetRawCertData().AsSpan().SequenceEqual(pinned) } };
        options.AuthorityHost = fixture.Emulator.BaseUri;
        options.Transport = new HttpClientTransport(new HttpClient(handler));
        options.Retry.MaxRetries = 0;
        return options;
    }

    private static JsonElement Claims(AccessToken token)
    {
        var p = token.Token.Split('.')[1];
        return JsonDocument.Parse(Convert.FromBase64String(p.Replace('-', '+').Replace('_', '/').PadRight(p.Length + ((4 - (p.Length % 4)) % 4), '='))).RootElement;
    }

    [Fact]
    public async Task A_client_secret_credential_gets_a_graph_token()
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        var credential = new ClientSecretCredential(tenant.TenantId, tenant.App.ClientId, tenant.App.ClientSecret, Configure(new ClientSecretCredentialOptions()));

        var token = await credential.GetTokenAsync(Graph, TestContext.Current.CancellationToken);

        Assert.Equal("https://graph.microsoft.com", Claims(token).GetProperty("aud").GetString());
        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(50));
    }

    [Fact]
    public async Task A_client_certificate_credential_signs_an_assertion_the_emulator_accepts()
    {
        var tenant = fixture.Emulator.GetTenant("fabrikam");
        var credential = new ClientCertificateCredential(tenant.TenantId, tenant.App.ClientId, tenant.App.CertificatePemPath, Configure(new ClientCertificateCredentialOptions()));
        using var pfx = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(tenant.App.CertificatePfxPath, tenant.App.CertificatePassphrase);
        var fromPfx = new ClientCertificateCredential(tenant.TenantId, tenant.App.ClientId, pfx, Configure(new ClientCertificateCredentialOptions()));

        var token = await credential.GetTokenAsync(Mde, TestContext.Current.CancellationToken);
        var again = await fromPfx.GetTokenAsync(Graph, TestContext.Current.CancellationToken);

        Assert.Equal(tenant.TenantId, Claims(token).GetProperty("tid").GetString());
        Assert.Contains("Machine.Isolate", Claims(token).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("ThreatHunting.Read.All", Claims(again).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Another_apps_certificate_is_refused()
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        var credential = new ClientCertificateCredential(tenant.TenantId, tenant.LimitedApp.ClientId, tenant.App.CertificatePemPath, Configure(new ClientCertificateCredentialOptions()));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(async () => await credential.GetTokenAsync(Graph, TestContext.Current.CancellationToken));

        Assert.Contains("AADSTS700027", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workload_identity_credential_exchanges_a_federated_token()
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        var file = Path.Combine(Path.GetTempPath(), $"fed-{Guid.NewGuid():N}.jwt");
        try
        {
            await File.WriteAllTextAsync(file, await fixture.Control.GetFederatedTokenAsync(TimeSpan.FromHours(1), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
            var credential = new WorkloadIdentityCredential(Configure(new WorkloadIdentityCredentialOptions { TenantId = tenant.TenantId, ClientId = tenant.LimitedApp.ClientId, TokenFilePath = file }));

            var token = await credential.GetTokenAsync(Mde, TestContext.Current.CancellationToken);

            Assert.Equal(tenant.LimitedApp.ClientId, Claims(token).GetProperty("appid").GetString());
            Assert.Equal(["Machine.Read.All"], Claims(token).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_expired_federated_token_is_refused()
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        var file = Path.Combine(Path.GetTempPath(), $"fed-{Guid.NewGuid():N}.jwt");
        try
        {
            await File.WriteAllTextAsync(file, await fixture.Control.GetFederatedTokenAsync(TimeSpan.FromHours(-1), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
            var credential = new WorkloadIdentityCredential(Configure(new WorkloadIdentityCredentialOptions { TenantId = tenant.TenantId, ClientId = tenant.App.ClientId, TokenFilePath = file }));

            var error = await Assert.ThrowsAsync<AuthenticationFailedException>(async () => await credential.GetTokenAsync(Mde, TestContext.Current.CancellationToken));

            Assert.Contains("AADSTS700024", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
