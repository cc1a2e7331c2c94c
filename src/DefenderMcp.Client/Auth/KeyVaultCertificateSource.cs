using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Security.KeyVault.Certificates;
using Azure.Security.KeyVault.Secrets;

namespace DefenderMcp.Client.Auth;

/// <summary>
/// Reads a tenant's certificate from Key Vault and keeps it fresh: fetched on first use, then again after
/// <see cref="RefreshInterval"/> (so a rotated certificate is picked up) or a day before the one in hand expires. A
/// failed refresh keeps the certificate in hand while it is valid. One source per URI is shared by the process.
/// </summary>
public sealed class KeyVaultCertificateSource
{
    private static readonly ConcurrentDictionary<string, KeyVaultCertificateSource> Shared = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly KeyVaultCertificateCredentialSpec _spec;
    private readonly DefenderTenantOptions _options;
    private readonly HttpMessageHandler _handler;
    private readonly TimeProvider _time;
    private X509Certificate2? _current;
    private DateTimeOffset _refreshAt;

    private KeyVaultCertificateSource(KeyVaultCertificateCredentialSpec spec, DefenderTenantOptions options, HttpMessageHandler handler, TimeProvider time)
    {
        _spec = spec;
        _options = options;
        _handler = handler;
        _time = time;
    }

    /// <summary>How often a certificate in hand is fetched again.</summary>
    public static TimeSpan RefreshInterval { get; } = TimeSpan.FromHours(1);

    /// <summary>The process's source for <paramref name="spec"/> (one per URI and trust anchor).</summary>
    public static KeyVaultCertificateSource For(KeyVaultCertificateCredentialSpec spec, DefenderTenantOptions options, HttpMessageHandler handler) =>
        Shared.GetOrAdd($"{spec.Uri.AbsoluteUri}|{options.TrustedCertificatePemPath}", _ => new KeyVaultCertificateSource(spec, options, handler, TimeProvider.System));

    /// <summary>A source of its own over a given clock (tests of the refresh rules).</summary>
    internal static KeyVaultCertificateSource CreateForTests(KeyVaultCertificateCredentialSpec spec, DefenderTenantOptions options, HttpMessageHandler handler, TimeProvider time) =>
        new(spec, options, handler, time);

    /// <summary>The certificate, fetched when none is in hand or it is due for refresh.</summary>
    /// <exception cref="DefenderApiException">Key Vault could not be read; the message names the URI, never a value.</exception>
    public async Task<X509Certificate2> GetAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_current is { } held && now < _refreshAt)
        {
            return held;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } again && now < _refreshAt)
            {
                return again;
            }

            try
            {
                var fetched = await FetchAsync(cancellationToken).ConfigureAwait(false);
                _current = fetched;
                var beforeExpiry = new DateTimeOffset(fetched.NotAfter.ToUniversalTime()) - TimeSpan.FromDays(1);
                _refreshAt = new[] { now + RefreshInterval, beforeExpiry }.Min() is var due && due > now ? due : now + TimeSpan.FromMinutes(5);
                return fetched;
            }
            catch (DefenderApiException) when (_current is { } stale && stale.NotAfter.ToUniversalTime() > now.UtcDateTime)
            {
                // Keep serving with the certificate in hand; try again in five minutes.
                _refreshAt = now + TimeSpan.FromMinutes(5);
                return stale;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<X509Certificate2> FetchAsync(CancellationToken cancellationToken)
    {
        var (vault, kind, name, version) = Parse(_spec.Uri);
        var transport = new HttpClientTransport(new HttpClient(new Http.CappedResponseHandler(_handler, Http.CappedResponseHandler.AzureSdkCap), disposeHandler: false));
        var identity = VaultIdentity(transport);
        // Off Azure (the emulator on loopback) the challenge names a resource that is not the vault's own domain.
        var loopback = vault.IsLoopback;
        try
        {
            if (kind == "certificates")
            {
                var certificates = new CertificateClient(vault, identity, new CertificateClientOptions { Transport = transport, DisableChallengeResourceVerification = loopback });
                var downloaded = await certificates.DownloadCertificateAsync(new DownloadCertificateOptions(name) { Version = version, KeyStorageFlags = X509KeyStorageFlags.EphemeralKeySet }, cancellationToken).ConfigureAwait(false);
                return RequireKey(downloaded.Value);
            }

            var secrets = new SecretClient(vault, identity, new SecretClientOptions { Transport = transport, DisableChallengeResourceVerification = loopback });
            var secret = (await secrets.GetSecretAsync(name, version, cancellationToken).ConfigureAwait(false)).Value;
            return RequireKey(Decode(secret.Value, secret.Properties.ContentType));
        }
        catch (RequestFailedException ex)
        {
            var why = ex.Status switch
            {
                401 or 403 => "Key Vault refused access: grant this host's identity 'get' on secrets (and certificates) of the vault",
                404 => "not found in Key Vault",
                _ => $"Key Vault answered {ex.Status}",
            };
            throw new DefenderApiException(DefenderErrorCode.AuthFailure, $"{_spec.Uri}: {why} (HTTP {ex.Status}).", httpStatus: ex.Status, inner: ex);
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
        {
            throw new DefenderApiException(DefenderErrorCode.AuthFailure, $"{_spec.Uri}: no {(_spec.WorkloadTokenFile is null ? "managed" : "workload")} identity token for Key Vault on this host.", inner: ex);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new DefenderApiException(DefenderErrorCode.AuthFailure, $"{_spec.Uri}: the value is not a PFX or PEM certificate with its private key.", inner: ex);
        }
        catch (FormatException ex)
        {
            throw new DefenderApiException(DefenderErrorCode.AuthFailure, $"{_spec.Uri}: the value is not a PFX or PEM certificate with its private key.", inner: ex);
        }
    }

    private TokenCredential VaultIdentity(HttpPipelineTransport transport)
    {
        T Configure<T>(T o) where T : TokenCredentialOptions
        {
            o.AuthorityHost = _options.Endpoints.AuthorityHost;
            o.Transport = transport;
            o.Retry.MaxRetries = 1;
            return o;
        }

        return _spec.WorkloadTokenFile is { } tokenFile
            ? FederatedTokenFile.Credential(_options.TenantId, _options.ClientId, tokenFile, Configure(new ClientAssertionCredentialOptions()))
            : new ManagedIdentityCredential(Configure(new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned)));
    }

    /// <summary>The vault root, <c>secrets</c> or <c>certificates</c>, the name and the optional version of a Key Vault URI.</summary>
    public static (Uri Vault, string Kind, string Name, string? Version) Parse(Uri uri)
    {
        var parts = uri.AbsolutePath.Trim('/').Split('/');
        if (uri.Scheme != Uri.UriSchemeHttps || parts.Length is < 2 or > 3 || parts[0] is not ("secrets" or "certificates") || parts[1].Length == 0 || !string.IsNullOrEmpty(uri.Query))
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, "A Key Vault URI is https://{vault}.vault.azure.net/secrets/{name}[/{version}] or …/certificates/{name}[/{version}].");
        }

        return (new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    private static X509Certificate2 Decode(string value, string? contentType)
    {
        if (string.Equals(contentType, "application/x-pem-file", StringComparison.OrdinalIgnoreCase) || value.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return X509Certificate2.CreateFromPem(value);
        }

        return X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(value), null, X509KeyStorageFlags.EphemeralKeySet);
    }

    private X509Certificate2 RequireKey(X509Certificate2 certificate)
    {
        if (certificate.HasPrivateKey)
        {
            return certificate;
        }

        certificate.Dispose();
        throw new DefenderApiException(DefenderErrorCode.AuthFailure, $"{_spec.Uri}: the certificate in Key Vault has no private key (store it as a PFX or PEM with the key).");
    }
}
