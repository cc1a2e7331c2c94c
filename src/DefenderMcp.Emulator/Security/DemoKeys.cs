using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace DefenderMcp.Emulator.Security;

/// <summary>
/// RSA-2048 keys made once per process and reused by every emulator started in it: a key costs about 300 ms to
/// generate, and test suites start many emulators. Each caller gets its own <see cref="RSA"/> instance.
/// </summary>
public static class DemoKeys
{
    /// <summary>The name of the access-token signing key.</summary>
    public const string TokenSigning = "token-signing";

    /// <summary>The key shared by the apps of generated tenants (each app still has its own certificate).</summary>
    public const string GeneratedTenants = "generated-tenants";

    private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Keys = new(StringComparer.Ordinal);

    /// <summary>Generates the named keys that do not exist yet, in parallel.</summary>
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
            using var rsa = RSA.Create(2048);
            return rsa.ExportPkcs8PrivateKey();
        })).Value;
}
