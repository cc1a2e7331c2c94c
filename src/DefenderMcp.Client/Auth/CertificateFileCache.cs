using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DefenderMcp.Client.Auth;

/// <summary>
/// Certificate files opened once per file version and passphrase, for the life of the process. Opening a PFX derives
/// its key from the passphrase (PBKDF, slow on purpose): the start-up check, each tenant's first token and every tenant
/// that shares a file would otherwise pay it again, inside a cold fan-out's slots. Each caller gets its own copy, so
/// disposing one never breaks another; a file rewritten in place (new size or time) is read again.
/// </summary>
internal static class CertificateFileCache
{
    private static readonly ConcurrentDictionary<Key, X509Certificate2> Loaded = new();
    private static readonly ConcurrentDictionary<string, int> ReadCounts = new(StringComparer.Ordinal);

    /// <summary>How many times <paramref name="path"/> was actually read and decrypted (tests: the cache is used).</summary>
    internal static int ReadsOf(string path) => ReadCounts.GetValueOrDefault(Path.GetFullPath(path));

    /// <summary>A copy of the certificate in <paramref name="path"/>, read by <paramref name="read"/> when not cached.</summary>
    public static X509Certificate2 Load(string path, string? passphrase, Func<X509Certificate2> read)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return read(); // let the reader report the missing file as it always has
        }

        var key = KeyOf(file, passphrase);
        if (!Loaded.TryGetValue(key, out var cached))
        {
            ReadCounts.AddOrUpdate(key.Path, 1, (_, n) => n + 1);
            var fresh = read();
            cached = Loaded.GetOrAdd(key, fresh);
            if (!ReferenceEquals(cached, fresh))
            {
                fresh.Dispose(); // another caller read it at the same time
            }
        }

        // A new handle to the same certificate and private key.
        return new X509Certificate2(cached);
    }

    /// <summary>
    /// A copy of the certificate in <paramref name="path"/> when this process has already opened that file version with
    /// <paramref name="passphrase"/>; null otherwise, without reading or decrypting anything.
    /// </summary>
    public static X509Certificate2? TryGetLoaded(string path, string? passphrase)
    {
        var file = new FileInfo(path);
        return file.Exists && Loaded.TryGetValue(KeyOf(file, passphrase), out var cached)
            ? new X509Certificate2(cached)
            : null;
    }

    // One file version (path, size, time) opened with one passphrase.
    private static Key KeyOf(FileInfo file, string? passphrase) => new(file.FullName, file.Length, file.LastWriteTimeUtc.Ticks, Fingerprint(passphrase));

    // The passphrase itself is never kept: only a hash tells two versions of the key apart.
    private static string Fingerprint(string? passphrase) =>
        passphrase is null ? string.Empty : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(passphrase)));

    // A class, not a struct: the dictionary's code for reference keys is in the framework's ReadyToRun image, while a
    // struct key had about fifteen of its methods compiled at every start, on the start's certificate check.
    private sealed record Key(string Path, long Length, long WriteTicks, string Passphrase);
}
