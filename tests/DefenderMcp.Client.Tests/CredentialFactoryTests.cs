using Azure.Identity;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

    [Fact]
    public void A_certificate_file_is_decrypted_once_and_each_caller_gets_its_own_copy()
    {
        var path = NewPfxFile("cache", "pass-1");

        try
        {
            var credential = new CertificateFileCredential(path, "pass-1");
            var first = CredentialFactory.LoadCertificate(credential);
            using var second = CredentialFactory.LoadCertificate(credential);

            Assert.Equal(1, CertificateFileCache.ReadsOf(path));
            Assert.NotSame(first, second);
            Assert.Equal(first.Thumbprint, second.Thumbprint);
            first.Dispose();
            using (var key = second.GetRSAPrivateKey())
            {
                // The copy keeps a working private key after the other copy is disposed.
                Assert.NotEmpty(key!.SignData([1, 2, 3], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            }

            // A wrong passphrase is not served from the cache, and still fails without echoing it.
            var wrong = Assert.Throws<DefenderApiException>(() => CredentialFactory.LoadCertificate(new CertificateFileCredential(path, "wrong-pass")));
            Assert.DoesNotContain("wrong-pass", wrong.Message, StringComparison.Ordinal);
            Assert.Equal(2, CertificateFileCache.ReadsOf(path));

            // A file rewritten in place is read again.
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
            using var third = CredentialFactory.LoadCertificate(credential);
            Assert.Equal(3, CertificateFileCache.ReadsOf(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadedCertificate_hands_out_a_copy_only_of_what_this_process_already_opened_and_reads_nothing()
    {
        var path = NewPfxFile("loaded", "pass-1");

        try
        {
            var credential = new CertificateFileCredential(path, "pass-1");
            Assert.Null(CredentialFactory.LoadedCertificate(credential));
            Assert.Equal(0, CertificateFileCache.ReadsOf(path));

            using var opened = CredentialFactory.LoadCertificate(credential);
            using var copy = CredentialFactory.LoadedCertificate(credential);

            Assert.NotNull(copy);
            Assert.NotSame(opened, copy);
            Assert.Equal(opened.Thumbprint, copy.Thumbprint);
            Assert.True(copy.HasPrivateKey);
            Assert.Equal(1, CertificateFileCache.ReadsOf(path));
            // Another passphrase is another key: never served from what the right one opened.
            Assert.Null(CredentialFactory.LoadedCertificate(new CertificateFileCredential(path, "wrong-pass")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // A new self-signed RSA certificate with its key, written as a PFX file under the temp folder.
    private static string NewPfxFile(string name, string passphrase)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.pfx");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllBytes(path, created.Export(X509ContentType.Pfx, passphrase));
        return path;
    }
}
