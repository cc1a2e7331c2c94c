using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DefenderMcp.Client.Http;

/// <summary>
/// Builds the HTTP handler: the system trust store, plus — only when configured — one extra PEM certificate
/// trusted as a root. Validation is never switched off: a name mismatch always fails.
/// </summary>
public static class TlsTrust
{
    /// <summary>A handler for <paramref name="trustedPemPath"/> (null: system store only).</summary>
    /// <exception cref="DefenderApiException">invalid_input when the file is not a readable PEM certificate.</exception>
    public static SocketsHttpHandler CreateHandler(string? trustedPemPath)
    {
        if (trustedPemPath is null)
        {
            return NewHandler();
        }

        X509Certificate2 extra;
        try
        {
            using var parsed = X509Certificate2.CreateFromPem(File.ReadAllText(trustedPemPath));
            extra = X509CertificateLoader.LoadCertificate(parsed.RawData);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DefenderApiException(DefenderErrorCode.InvalidInput, "The extra trusted certificate (DEFENDER_TLS_TRUST_CERT) could not be read as a PEM certificate.", inner: ex);
        }

        return CreateHandler(extra);
    }

    /// <summary>
    /// A handler that trusts the system store plus <paramref name="extraRoot"/> as a root (kept by the handler), for
    /// callers that hold the certificate already, such as the idle warm-up's in-memory exchange.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2 extraRoot)
    {
        ArgumentNullException.ThrowIfNull(extraRoot);
        var handler = NewHandler();
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors, extraRoot),
        };
        return handler;
    }

    private static SocketsHttpHandler NewHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
        AllowAutoRedirect = false,
    };

    private static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 extra)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only a chain problem can be forgiven, and only by a chain that ends at the configured certificate.
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(server);
    }
}
