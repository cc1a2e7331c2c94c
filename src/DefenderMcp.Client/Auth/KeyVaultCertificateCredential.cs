using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;

namespace DefenderMcp.Client.Auth;

/// <summary>
/// The app's certificate credential over a <see cref="KeyVaultCertificateSource"/>: each token request uses the
/// certificate in hand, and a new certificate (after rotation) gets a new inner credential.
/// </summary>
/// <param name="source">Where the certificate comes from.</param>
/// <param name="create">Makes the certificate credential for a certificate.</param>
public sealed class KeyVaultCertificateCredential(KeyVaultCertificateSource source, Func<X509Certificate2, TokenCredential> create) : TokenCredential
{
    private readonly Lock _gate = new();
    private (X509Certificate2 Certificate, TokenCredential Credential)? _inner;

    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = await source.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DefenderApiException ex)
        {
            throw new AuthenticationFailedException(ex.Message, ex);
        }

        TokenCredential credential;
        lock (_gate)
        {
            if (_inner is not { } inner || !ReferenceEquals(inner.Certificate, certificate))
            {
                _inner = inner = (certificate, create(certificate));
            }

            credential = inner.Credential;
        }

        return await credential.GetTokenAsync(requestContext, cancellationToken).ConfigureAwait(false);
    }
}
