using System.Security.Cryptography;

namespace DefenderMcp.Emulator.Security;

/// <summary>
/// A private folder (0700) of demo keys, one PKCS#8 file (0600) per key name. Every failure (unwritable, not
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
            if (!File.Exists(path) || (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~PrivateFile) != 0))
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
    public void TryWrite(string name, byte[] pkcs8)
    {
        var path = PathOf(name);
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
                stream.Write(pkcs8);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
        }
    }

    // Key names are the emulator's own (letters, digits, '-'); anything else never reaches the file system.
    private string PathOf(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && name.Length is > 0 and <= 80
            ? Path.Combine(_directory, name + ".pkcs8")
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
