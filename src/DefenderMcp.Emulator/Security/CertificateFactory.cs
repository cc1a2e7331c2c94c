using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DefenderMcp.Emulator.Security;

/// <summary>Makes the self-signed certificates the emulator needs: its TLS certificate and the demo apps' certificates.</summary>
public static class CertificateFactory
{
    /// <summary>A TLS certificate for 127.0.0.1, ::1 and localhost, valid for a year (ECDSA P-256: instant to make).</summary>
    public static X509Certificate2 CreateTls()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        if (OperatingSystem.IsLinux())
        {
            // OpenSSL serves TLS with the key as made; the PFX round trip below (two PBKDFs) would only cost start time.
            return cert;
        }

        // Elsewhere, re-import so that the platform's TLS stack gets a key it can use (an ephemeral key is not one on Windows).
        using (cert)
        {
            return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
        }
    }

    /// <summary>An app certificate (RSA 2048, for client assertions), loaded from <paramref name="pfxPath"/> if it exists, else made with the named <see cref="DemoKeys"/> key and written there.</summary>
    public static X509Certificate2 LoadOrCreateApp(string subject, string pfxPath, string pemPath, string passphrase, string keyName)
    {
        if (File.Exists(pfxPath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(pfxPath, passphrase);
        }

        var (certificate, pfx, pem) = CreateApp(subject, passphrase, keyName);
        WriteSecret(pfxPath, pfx);
        WriteSecret(pemPath, pem);
        return certificate;
    }

    /// <summary>A new app certificate made with the named <see cref="DemoKeys"/> key: its public part, its PFX (protected by <paramref name="passphrase"/>) and its PEM (certificate and key).</summary>
    public static (X509Certificate2 Certificate, byte[] Pfx, byte[] Pem) CreateApp(string subject, string passphrase, string keyName)
    {
        using var key = DemoKeys.Create(keyName);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        var pfx = cert.Export(X509ContentType.Pfx, passphrase);
        var pem = cert.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
        return (X509CertificateLoader.LoadCertificate(cert.RawData), pfx, System.Text.Encoding.ASCII.GetBytes(pem));
    }

    /// <summary>Writes a file readable only by its owner.</summary>
    public static void WriteSecret(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
    }
}
