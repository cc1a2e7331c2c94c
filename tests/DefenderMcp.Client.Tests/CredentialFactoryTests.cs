using Azure.Identity;
using DefenderMcp.Client.Auth;

namespace DefenderMcp.Client.Tests;

public sealed class CredentialFactoryTests
{
    private static DefenderTenantOptions Options(TenantCredential credential) => new()
    {
        TenantId = "00000000-0000-0000-0000-000000000001",
        ClientId = "00000000-0000-0000-0000-000000000002",
        Credential = credential,
        Endpoints = DefenderEndpoints.For(DefenderCloud.GCCHigh),
    };

    [Fact]
    public void Each_credential_kind_maps_to_its_azure_identity_type()
    {
        using var handler = new HttpClientHandler();

        Assert.IsType<ClientSecretCredential>(CredentialFactory.Create(Options(new ClientSecretCredentialSpec("s")), handler));
        Assert.IsType<ManagedIdentityCredential>(CredentialFactory.Create(Options(new ManagedIdentityCredentialSpec(null)), handler));
        Assert.IsType<ManagedIdentityCredential>(CredentialFactory.Create(Options(new ManagedIdentityCredentialSpec("11111111-0000-0000-0000-000000000000")), handler));
        // Workload identity reads (and trims) the token file itself: see FederatedTokenFile.
        Assert.IsType<ClientAssertionCredential>(CredentialFactory.Create(Options(new WorkloadIdentityCredentialSpec("/var/run/secrets/azure/tokens/azure-identity-token")), handler));
    }

    [Fact]
    public void A_missing_certificate_file_is_auth_failure_without_the_passphrase()
    {
        using var handler = new HttpClientHandler();

        var error = Assert.Throws<DefenderApiException>(() => CredentialFactory.Create(Options(new CertificateFileCredential("/nonexistent/cert.pfx", "p@ss-123")), handler));

        Assert.Equal(DefenderErrorCode.AuthFailure, error.Code);
        Assert.DoesNotContain("p@ss-123", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_trusted_certificate_is_invalid_input()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-cert-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        try
        {
            var error = Assert.Throws<DefenderApiException>(() => DefenderMcp.Client.Http.TlsTrust.CreateHandler(path));

            Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
            Assert.Equal(DefenderErrorCode.InvalidInput, Assert.Throws<DefenderApiException>(() => DefenderMcp.Client.Http.TlsTrust.CreateHandler(path + ".missing")).Code);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
