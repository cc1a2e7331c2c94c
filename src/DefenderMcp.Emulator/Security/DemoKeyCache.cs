using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DefenderMcp.Emulator.Security;

/// <summary>
/// A private folder (0700) of demo keys, one PKCS#8 file (0600) per key name, and of the demo apps' certificates
/// made from them (their PFX export costs a PBKDF each, so a warm start reuses the files). Every failure (unwritable, not
/// private, a damaged file) only means the key is generated as if there were no cache: the cache is a speed-up.
/// </summary>
internal sealed class DemoKeyCache
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory;

    private DemoKeyCache(string directory) => _directory = directory;

    /// <summary>The cache at <paramref name="directory"/>, made if missing; null when it cannot be made or is not private.</summary>
    public static DemoKeyCache? TryOpen(string directory)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                // Under the user's own local application data, which other users cannot read.
                Directory.CreateDirectory(directory);
            }
            else
            {
                var parent = Path.GetDirectoryName(directory);
                if (parent is not null)
                {
                    Directory.CreateDirectory(parent, PrivateFolder);
                }

                var info = Directory.CreateDirectory(directory, PrivateFolder);
                // A folder that already existed keeps its mode: use it only if nobody else can read or write it.
                if ((info.UnixFileMode & ~PrivateFolder) != 0 || info.LinkTarget is not null)
                {
                    return null;
                }
            }

            return new DemoKeyCache(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The cached key's PKCS#8 bytes if it exists, is private and is an RSA key of <paramref name="bits"/>; else null.</summary>
    public byte[]? TryRead(string name, int bits)
    {
        var path = PathOf(name);
        try
        {
            if (!IsPrivateFile(path))
            {
                return null;
            }

            var bytes = File.ReadAllBytes(path);
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(bytes, out var read);
            return read == bytes.Length && rsa.KeySize == bits ? bytes : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Stores a key: a private temporary file renamed into place, so a reader never sees half a key.</summary>
    public void TryWrite(string name, byte[] pkcs8) => TryWriteFile(PathOf(name), pkcs8);

    /// <summary>Whether an app certificate's PEM is cached (a quick look; <see cref="TryReadApp"/> decides whether it is usable).</summary>
    public bool HasApp(string name) => IsPrivateFile(PathOf(name, ".pem"));

    /// <summary>
    /// The app certificate cached as <c>{name}.pem</c> (certificate and key) with its PFX, <c>{name}-{thumbprint}.pfx</c>:
    /// its public certificate and both paths if both files are private and it is valid for at least 30 more days; else null.
    /// </summary>
    public (X509Certificate2 Certificate, string PfxPath, string PemPath)? TryReadApp(string name)
    {
        var pemPath = PathOf(name, ".pem");
        try
        {
            if (!IsPrivateFile(pemPath))
            {
                return null;
            }

            var pem = File.ReadAllText(pemPath);
            var fields = PemEncoding.Find(pem);
            if (pem.AsSpan()[fields.Label] is not "CERTIFICATE")
            {
                return null;
            }

            var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(pem[fields.Base64Data]));
            var pfxPath = PathOf($"{name}-{certificate.Thumbprint}", ".pfx");
            var now = DateTime.UtcNow;
            if (certificate.NotBefore.ToUniversalTime() > now || certificate.NotAfter.ToUniversalTime() < now.AddDays(30) || !IsPrivateFile(pfxPath))
            {
                certificate.Dispose();
                return null;
            }

            return (certificate, pfxPath, pemPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores an app certificate's PFX, then its PEM (which names the PFX by thumbprint, so a concurrent start never
    /// pairs one start's PEM with another's PFX). The two paths, or null when either could not be written.
    /// </summary>
    public (string PfxPath, string PemPath)? TryWriteApp(string name, string thumbprint, byte[] pfx, byte[] pem)
    {
        var pfxPath = PathOf($"{name}-{thumbprint}", ".pfx");
        var pemPath = PathOf(name, ".pem");
        return TryWriteFile(pfxPath, pfx) && TryWriteFile(pemPath, pem) ? (pfxPath, pemPath) : null;
    }

    private static bool IsPrivateFile(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & ~PrivateFile) == 0);

    private static bool TryWriteFile(string path, byte[] content)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateFile;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
            }

            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return false;
        }
    }

    // Key names are the emulator's own (letters, digits, '-'); anything else never reaches the file system.
    private string PathOf(string name, string extension = ".pkcs8") =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && name.Length is > 0 and <= 160
            ? Path.Combine(_directory, name + extension)
            : throw new ArgumentException("Demo key names are letters, digits and '-'.", nameof(name));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing to clean up, or nothing we may clean up.
        }
    }
}
