using System.Security.Cryptography.X509Certificates;

namespace DefenderMcp.Emulator.Data;

/// <summary>
/// The emulator's Key Vault: for each tenant, its app's certificate with the private key, as a certificate
/// (<c>/certificates/{key}-app-cert</c>) backed by a secret of the same name holding the PFX (no password, as Key Vault
/// stores it). Only the first tenant's app (the emulator's system-assigned managed identity) may read them;
/// <c>locked-cert</c> holds the same certificate but grants nobody access, for the refusal path.
/// </summary>
public sealed class KeyVaultStore
{
    /// <summary>The version every entry has (Key Vault versions are 32 hex digits).</summary>
    public const string Version = "5d1c2b7f0e3a4c6b9a8d7e6f5a4b3c2d";

    /// <summary>The name of the entry nobody may read.</summary>
    public const string LockedName = "locked-cert";

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds the vault from the tenants' app certificates.</summary>
    public KeyVaultStore(IReadOnlyList<EmulatedTenant> tenants)
    {
        var reader = tenants[0].App.ClientId;
        foreach (var tenant in tenants)
        {
            _entries[$"{tenant.Key}-app-cert"] = Load(tenant.App, [reader]);
        }

        _entries[LockedName] = Load(tenants[0].App, []);
    }

    /// <summary>The entry called <paramref name="name"/>, or null.</summary>
    public Entry? Find(string name) => _entries.GetValueOrDefault(name);

    private static Entry Load(EmulatedApp app, string[] readers)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(app.CertificatePfxPath, app.CertificatePassphrase, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        return new Entry(Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12)), certificate.RawData, certificate.GetCertHash(), certificate.NotBefore, certificate.NotAfter, readers);
    }

    /// <summary>One certificate in the vault.</summary>
    /// <param name="PfxBase64">The secret's value: the PFX, base64, no password.</param>
    /// <param name="Der">The public certificate.</param>
    /// <param name="Sha1">Its SHA-1 thumbprint.</param>
    /// <param name="NotBefore">Validity start.</param>
    /// <param name="Expires">Validity end.</param>
    /// <param name="Readers">Client ids allowed to read it.</param>
    public sealed record Entry(string PfxBase64, byte[] Der, byte[] Sha1, DateTime NotBefore, DateTime Expires, IReadOnlyList<string> Readers);
}
