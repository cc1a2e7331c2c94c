using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace DefenderMcp.Emulator.Security;

/// <summary>
/// RSA-2048 keys made once per process and reused by every emulator started in it: a key costs about 300 ms to
/// generate, and test suites start many emulators. Each caller gets its own <see cref="RSA"/> instance. With a cache
/// folder (<see cref="UseCache"/>, what <c>--demo</c> does) the keys also outlive the process: each is kept there as
/// PKCS#8 (0600, the folder 0700) and read back on the next start instead of being generated again. They sign only
/// the emulator's synthetic tokens and certificates.
/// </summary>
public static class DemoKeys
{
    /// <summary>The name of the access-token signing key.</summary>
    public const string TokenSigning = "token-signing";

    /// <summary>The key shared by the apps of generated tenants (each app still has its own certificate).</summary>
    public const string GeneratedTenants = "generated-tenants";

    private const int KeyBits = 2048;
    private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Keys = new(StringComparer.Ordinal);
    private static volatile DemoKeyCache? s_cache;

    /// <summary>
    /// The per-user cache folder for demo keys: <c>$XDG_CACHE_HOME</c> (or <c>~/.cache</c>) on Linux and macOS,
    /// local application data on Windows, then <c>defender-mcp/demo-keys</c>. Null when there is no home folder.
    /// </summary>
    public static string? UserCacheDirectory
    {
        get
        {
            string? root;
            if (OperatingSystem.IsWindows())
            {
                root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            }
            else
            {
                root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                if (string.IsNullOrEmpty(root) || !Path.IsPathFullyQualified(root))
                {
                    var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                    root = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache");
                }
            }

            return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "defender-mcp", "demo-keys");
        }
    }

    /// <summary>
    /// Keeps keys made from now on in <paramref name="directory"/> and reads existing ones from it. When the folder
    /// cannot be made private (an unwritable home, a folder others can read), keys stay per process, as without it.
    /// </summary>
    public static void UseCache(string directory) => s_cache ??= DemoKeyCache.TryOpen(directory);

    /// <summary>The cache <see cref="UseCache"/> opened; null when none was asked for or it is not usable.</summary>
    internal static DemoKeyCache? Cache => s_cache;

    /// <summary>Generates (or reads from the cache) the named keys that do not exist yet, in parallel.</summary>
    public static void Prepare(IEnumerable<string> names) =>
        Parallel.ForEach(names.Distinct(StringComparer.Ordinal), name => _ = Pkcs8(name));

    /// <summary>A new instance of the named key (generated on first use).</summary>
    public static RSA Create(string name)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Pkcs8(name), out _);
        return rsa;
    }

    private static byte[] Pkcs8(string name) =>
        Keys.GetOrAdd(name, _ => new Lazy<byte[]>(() =>
        {
            var cache = s_cache;
            if (cache?.TryRead(name, KeyBits) is { } cached)
            {
                return cached;
            }

            using var rsa = RSA.Create(KeyBits);
            var pkcs8 = rsa.ExportPkcs8PrivateKey();
            cache?.TryWrite(name, pkcs8);
            return pkcs8;
        })).Value;
}
