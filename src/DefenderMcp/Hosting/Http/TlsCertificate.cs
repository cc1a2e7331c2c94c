using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DefenderMcp.Hosting.Http;

/// <summary>Loads the Kestrel certificate for <c>https://</c> addresses: a PFX, or a PEM certificate with its key.</summary>
public static class TlsCertificate
{
    /// <summary>The certificate, or null with a problem text (never the passphrase or key bytes).</summary>
    public static (X509Certificate2? Certificate, string? Problem) Load(HttpServerOptions options)
    {
        if (options.TlsCertificateFile is not { } path)
        {
            return (null, null);
        }

        try
        {
            var isPem = File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal);
            var certificate = !isPem
                ? X509CertificateLoader.LoadPkcs12FromFile(path, options.TlsCertificatePassphrase)
                : options.TlsCertificatePassphrase is { } passphrase
                    ? X509Certificate2.CreateFromEncryptedPemFile(path, passphrase, options.TlsKeyFile)
                    : X509Certificate2.CreateFromPemFile(path, options.TlsKeyFile);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                return (null, "DEFENDER_MCP_HTTP_TLS_CERT: the certificate has no private key (set DEFENDER_MCP_HTTP_TLS_KEY)");
            }

            return (certificate, null);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, $"DEFENDER_MCP_HTTP_TLS_CERT: cannot load the certificate ({ex.GetType().Name}); check the file, key and passphrase");
        }
    }
}
