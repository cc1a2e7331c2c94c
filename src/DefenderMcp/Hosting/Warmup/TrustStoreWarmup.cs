using System.Security.Cryptography.X509Certificates;

namespace DefenderMcp.Hosting.Warmup;

/// <summary>
/// Loads the system's trusted roots into the runtime's process-wide cache, which the first TLS handshake's chain build
/// would otherwise read from disk (every root certificate file) inside the first call. Reads only; trusts nothing new.
/// </summary>
internal static class TrustStoreWarmup
{
    /// <summary>Opens the machine root store read-only and returns how many roots it holds.</summary>
    public static int Run()
    {
        using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        var roots = store.Certificates;
        var count = roots.Count;
        foreach (var root in roots)
        {
            root.Dispose();
        }

        return count;
    }
}
