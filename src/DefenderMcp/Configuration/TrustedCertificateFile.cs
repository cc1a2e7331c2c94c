using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DefenderMcp.Configuration;

/// <summary>
/// An extra certificate to trust (<c>DEFENDER_TLS_TRUST_CERT</c>, <c>DEFENDER_MCP_ENTRA_TLS_TRUST_CERT</c>) is read at
/// start, so a wrong file stops the start naming the setting instead of failing every call later.
/// </summary>
public static class TrustedCertificateFile
{
    /// <summary>Null when <paramref name="path"/> holds a PEM certificate this process can read; otherwise a problem naming <paramref name="setting"/>.</summary>
    public static string? Check(string path, string setting)
    {
        if (!File.Exists(path))
        {
            return $"{setting}: file not found";
        }

        if (!SecureFile.IsReadable(path))
        {
            return $"{setting}: this user ({Environment.UserName}) cannot read the file; give the user the server runs as read access";
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            return null;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return $"{setting}: not a PEM certificate (a -----BEGIN CERTIFICATE----- block)";
        }
    }
}
