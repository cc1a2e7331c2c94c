using System.Security.Cryptography.X509Certificates;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Security;

namespace DefenderMcp.Emulator;

/// <summary>The emulated tenants: fixed ids and demo credentials (documented in docs/emulator.md), certificates on disk.</summary>
public static class DemoTenants
{
    /// <summary>Graph roles of the full app.</summary>
    public static IReadOnlyList<string> AllGraphRoles { get; } = ["ThreatHunting.Read.All", "SecurityIncident.ReadWrite.All", "SecurityAlert.ReadWrite.All", "CustomDetection.ReadWrite.All",
        "User.Read.All", "GroupMember.Read.All", "User.RevokeSessions.All", "User.EnableDisableAccount.All", "IdentityRiskyUser.ReadWrite.All",
        "SecurityEvents.Read.All"];

    /// <summary>MDE roles of the full app.</summary>
    public static IReadOnlyList<string> AllMdeRoles { get; } =
    [
        "Machine.Read.All", "Machine.ReadWrite.All", "Machine.Isolate", "Machine.RestrictExecution", "Machine.Scan", "Machine.CollectForensics",
        "Machine.Offboard", "Machine.StopAndQuarantine", "Machine.LiveResponse", "Ti.ReadWrite.All", "Library.Manage", "AdvancedQuery.Read.All",
        "File.Read.All", "Ip.Read.All", "URL.Read.All", "User.Read.All", "Alert.Read.All", "Alert.ReadWrite.All",
        "Vulnerability.Read.All", "Software.Read.All", "SecurityRecommendation.Read.All", "Score.Read.All",
    ];

    /// <summary>Creates the tenants for <paramref name="keys"/>, writing app certificates under <paramref name="folder"/>.</summary>
    public static (IReadOnlyList<EmulatedTenant> Tenants, IReadOnlyDictionary<string, X509Certificate2> Certificates) Create(IReadOnlyList<string> keys, string folder) =>
        Create(keys, folder, appCache: null);

    /// <summary>
    /// As <see cref="Create(IReadOnlyList{string}, string)"/>, but with <paramref name="appCache"/> the app certificates
    /// are read from (or, the first time, written to) that private cache instead of being made and exported anew.
    /// </summary>
    internal static (IReadOnlyList<EmulatedTenant> Tenants, IReadOnlyDictionary<string, X509Certificate2> Certificates) Create(IReadOnlyList<string> keys, string folder, DemoKeyCache? appCache)
    {
        var tenants = new EmulatedTenant[keys.Count];
        var certificates = new System.Collections.Concurrent.ConcurrentDictionary<string, X509Certificate2>(StringComparer.Ordinal);
        // The apps' keys only sign certificates that are not cached yet: when one is missing, the keys are prepared and
        // the tenants made in parallel; reading cached certificates is quick, and on the caller's thread it waits for no other.
        var cached = appCache is not null && keys.All(k => appCache.HasApp($"{k}-app") && appCache.HasApp($"{k}-limited"));
        if (!cached)
        {
            DemoKeys.Prepare(keys.SelectMany(k => new[] { KeyName(k, "app"), KeyName(k, "limited") }));
        }

        Parallel.ForEach(keys.Select((k, i) => (k, i)), new ParallelOptions { MaxDegreeOfParallelism = cached ? 1 : -1 }, item =>
        {
            var (key, index) = item;
            var names = StoryNames.For(key, index);
            var tenantId = key switch
            {
                "contoso" => "6babcaad-604b-40ac-a9d7-9fd97c0b779f",
                "fabrikam" => "3ff2e48c-1f6c-4c2e-9a3b-7a5e0c6d2b41",
                _ => DataGenerator.Guid("tenant:" + key),
            };
            EmulatedApp App(string suffix, IReadOnlyList<string> graph, IReadOnlyList<string> mde)
            {
                var clientId = key switch
                {
                    "contoso" when suffix == "app" => "0d4f0c6a-1b8e-4c43-9a51-2f6d2b7f0a11",
                    "contoso" => "0d4f0c6a-1b8e-4c43-9a51-2f6d2b7f0a22",
                    "fabrikam" when suffix == "app" => "a7c3e5b9-2d4f-4e6a-8b1c-3d5e7f9a1b33",
                    "fabrikam" => "a7c3e5b9-2d4f-4e6a-8b1c-3d5e7f9a1b44",
                    _ => DataGenerator.Guid($"client:{key}:{suffix}"),
                };
                var passphrase = $"{key}-demo-cert-passphrase";
                var (cert, pfx, pem) = AppCertificate($"{key}-{suffix}", passphrase, KeyName(key, suffix), folder, appCache);
                certificates[clientId] = X509CertificateLoader.LoadCertificate(cert.RawData);
                return new EmulatedApp(clientId, $"{key}-{suffix}-demo-secret", pfx, pem, passphrase, cert.Thumbprint, graph, mde);
            }

            var app = App("app", AllGraphRoles, AllMdeRoles);
            var limited = App("limited", ["ThreatHunting.Read.All"], ["Machine.Read.All"]);
            tenants[index] = new EmulatedTenant(key, tenantId, key == "contoso" ? "Contoso Ltd (demo)" : key == "fabrikam" ? "Fabrikam Inc (demo)" : $"{key} (generated)", names.Domain, app, limited);
        });

        return (tenants, certificates);
    }

    // From the cache when it has the certificate; else made, and kept in the cache or (no usable cache, or an
    // explicit data folder) written under the folder as before.
    private static (X509Certificate2 Certificate, string PfxPath, string PemPath) AppCertificate(string name, string passphrase, string keyName, string folder, DemoKeyCache? appCache)
    {
        if (appCache?.TryReadApp(name) is { } cached)
        {
            return cached;
        }

        var pfxPath = Path.Combine(folder, $"{name}.pfx");
        var pemPath = Path.Combine(folder, $"{name}.pem");
        if (appCache is null)
        {
            return (CertificateFactory.LoadOrCreateApp(name, pfxPath, pemPath, passphrase, keyName), pfxPath, pemPath);
        }

        var (certificate, pfx, pem) = CertificateFactory.CreateApp(name, passphrase, keyName);
        if (appCache.TryWriteApp(name, certificate.Thumbprint, pfx, pem) is { } kept)
        {
            return (certificate, kept.PfxPath, kept.PemPath);
        }

        CertificateFactory.WriteSecret(pfxPath, pfx);
        CertificateFactory.WriteSecret(pemPath, pem);
        return (certificate, pfxPath, pemPath);
    }

    // The two hand-made tenants get a key per app; generated tenants (benchmarks: 50 of them) share one key, and
    // each of their apps still has its own certificate and thumbprint.
    private static string KeyName(string tenantKey, string suffix) =>
        tenantKey is "contoso" or "fabrikam" ? $"{tenantKey}-{suffix}" : DemoKeys.GeneratedTenants;
}
