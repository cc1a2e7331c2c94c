using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace DefenderMcp.Client.Auth;

/// <summary>Builds the Azure.Identity credential of a tenant, talking through our (pinned-trust) handler.</summary>
public static class CredentialFactory
{
    /// <summary>The credential for <paramref name="options"/>.</summary>
    public static TokenCredential Create(DefenderTenantOptions options, HttpMessageHandler handler) => CreateFactory(options, handler)();

    /// <summary>
    /// A maker of fresh credentials for <paramref name="options"/> (each with an empty token cache). The certificate is
    /// loaded once, here, so a bad file or passphrase fails now.
    /// </summary>
    public static Func<TokenCredential> CreateFactory(DefenderTenantOptions options, HttpMessageHandler handler)
    {
        var certificate = options.Credential is CertificateFileCredential file ? LoadCertificate(file) : null;
        return () => Create(options, handler, certificate);
    }

    /// <summary>
    /// A maker of certificate credentials over <paramref name="certificate"/>, already in memory (no file is read), for
    /// options whose <see cref="DefenderTenantOptions.Credential"/> is a <see cref="CertificateFileCredential"/>.
    /// </summary>
    public static Func<TokenCredential> CreateFactory(DefenderTenantOptions options, X509Certificate2 certificate, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(certificate);
        return options.Credential is CertificateFileCredential
            ? () => Create(options, handler, certificate)
            : throw new ArgumentException("Only certificate options take an in-memory certificate.", nameof(options));
    }

    /// <summary>
    /// A copy of <paramref name="credential"/>'s certificate when this process has already opened it (the start-up
    /// check does), else null: nothing is read or decrypted.
    /// </summary>
    public static X509Certificate2? LoadedCertificate(CertificateFileCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return CertificateFileCache.TryGetLoaded(credential.Path, credential.Passphrase);
    }

    private static TokenCredential Create(DefenderTenantOptions options, HttpMessageHandler handler, X509Certificate2? certificate)
    {
        var transport = new HttpClientTransport(new HttpClient(new Http.CappedResponseHandler(handler, Http.CappedResponseHandler.AzureSdkCap), disposeHandler: false));
        T Configure<T>(T o) where T : TokenCredentialOptions
        {
            o.AuthorityHost = options.Endpoints.AuthorityHost;
            o.Transport = transport;
            o.Retry.MaxRetries = 1;
            return o;
        }

        return options.Credential switch
        {
            // The authority host always comes from the clouds table or an override, so instance discovery (a lookup of
            // login.microsoftonline.com, which hangs until DNS fails on networks without it) is never needed.
            CertificateFileCredential => new ClientCertificateCredential(
                options.TenantId, options.ClientId, certificate!, Configure(new ClientCertificateCredentialOptions { DisableInstanceDiscovery = true })),
            ClientSecretCredentialSpec s => new ClientSecretCredential(
                options.TenantId, options.ClientId, s.Secret, Configure(new ClientSecretCredentialOptions { DisableInstanceDiscovery = true })),
            ManagedIdentityCredentialSpec m => new ManagedIdentityCredential(Configure(new ManagedIdentityCredentialOptions(
                string.IsNullOrEmpty(m.ClientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(m.ClientId)))),
            WorkloadIdentityCredentialSpec w => FederatedTokenFile.Credential(
                options.TenantId, options.ClientId, w.TokenFilePath, Configure(new ClientAssertionCredentialOptions { DisableInstanceDiscovery = true })),
            KeyVaultCertificateCredentialSpec k => new KeyVaultCertificateCredential(
                KeyVaultCertificateSource.For(k, options, handler),
                fetched => new ClientCertificateCredential(options.TenantId, options.ClientId, fetched, Configure(new ClientCertificateCredentialOptions { DisableInstanceDiscovery = true }))),
            AzureCliCredentialSpec => new AzureCliCredential(new AzureCliCredentialOptions { TenantId = options.TenantId }),
            _ => throw new DefenderApiException(DefenderErrorCode.AuthFailure, "Unsupported credential type."),
        };
    }

    /// <summary>
    /// Loads a PFX or PEM (certificate + key, key optionally encrypted) file: decrypted once per file version and
    /// passphrase in this process (<see cref="CertificateFileCache"/>); each call returns its own copy.
    /// </summary>
    public static X509Certificate2 LoadCertificate(CertificateFileCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        try
        {
            return CertificateFileCache.Load(credential.Path, credential.Passphrase, () => ReadCertificate(credential));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new DefenderApiException(DefenderErrorCode.AuthFailure, "The certificate file could not be loaded (wrong passphrase, or not a PFX/PEM with a private key).", inner: ex);
        }
    }

    private static X509Certificate2 ReadCertificate(CertificateFileCredential credential)
    {
        try
        {
            var bytes = File.ReadAllBytes(credential.Path);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                return string.IsNullOrEmpty(credential.Passphrase) || !text.Contains("ENCRYPTED", StringComparison.Ordinal)
                    ? X509Certificate2.CreateFromPemFile(credential.Path)
                    : X509Certificate2.CreateFromEncryptedPemFile(credential.Path, credential.Passphrase);
            }

            return X509CertificateLoader.LoadPkcs12(bytes, credential.Passphrase, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            // Never the passphrase, never the bytes: just what failed.
            throw new DefenderApiException(DefenderErrorCode.AuthFailure, "The certificate file could not be loaded (wrong passphrase, or not a PFX/PEM with a private key).", inner: ex);
        }
    }
}
