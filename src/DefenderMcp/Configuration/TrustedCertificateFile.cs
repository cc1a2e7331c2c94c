using System.Security.Cryptography;

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
            return SecureFile.Missing(path, setting);
        }

        // One read: a file this user cannot open fails it the same way a separate check would.
        try
        {
            return IsPemCertificate(File.ReadAllText(path)) ? null : $"{setting}: not a PEM certificate (a -----BEGIN CERTIFICATE----- block)";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{setting}: this user ({Environment.UserName}) cannot read the file; give the user the server runs as read access";
        }
    }

    // Read with managed code only: loading the certificate would start the native crypto library on the start path
    // (the first call's TLS handshake starts it anyway). A CERTIFICATE block whose base64 holds a DER SEQUENCE.
    private static bool IsPemCertificate(string text)
    {
        if (!PemEncoding.TryFind(text, out var fields) || !text.AsSpan()[fields.Label].SequenceEqual("CERTIFICATE"))
        {
            return false;
        }

        var der = new byte[fields.DecodedDataLength];
        return Convert.TryFromBase64Chars(text.AsSpan()[fields.Base64Data], der, out var written) && written > 0 && der[0] == 0x30;
    }
}
