using System.Security.Cryptography.X509Certificates;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Emulator.Security;

namespace DefenderMcp.Emulator;

/// <summary>Everything the emulator's endpoints share: tenants and their data, keys, faults and the request log.</summary>
public sealed class EmulatorState(EmulatorOptions options, IReadOnlyList<EmulatedTenant> tenants, IReadOnlyDictionary<string, X509Certificate2> appCertificates, DateTime now)
{
    private readonly Lock _gate = new();
    private Dictionary<string, Lazy<TenantData>> _data = Build(tenants, now);

    /// <summary>Start options.</summary>
    public EmulatorOptions Options { get; } = options;

    /// <summary>The tenants.</summary>
    public IReadOnlyList<EmulatedTenant> Tenants { get; } = tenants;

    /// <summary>Registered app certificates (public), by client id.</summary>
    public IReadOnlyDictionary<string, X509Certificate2> AppCertificates { get; } = appCertificates;

    /// <summary>The time data was generated relative to.</summary>
    public DateTime Now { get; } = now;

    /// <summary>Token issuing and validation.</summary>
    public TokenService Tokens { get; } = new();

    /// <summary>Entra as the identity provider of the server's own callers (OpenID configuration, JWKS, user tokens).</summary>
    public CallerIdentityProvider Callers { get; } = new();

    /// <summary>Injected faults.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Requests served.</summary>
    public RequestLog Requests { get; } = new();

    /// <summary>A tenant by GUID, domain or key (case-insensitive), or null.</summary>
    public EmulatedTenant? FindTenant(string idOrDomain) =>
        Tenants.FirstOrDefault(t => string.Equals(t.TenantId, idOrDomain, StringComparison.OrdinalIgnoreCase) ||
                                    string.Equals(t.Domain, idOrDomain, StringComparison.OrdinalIgnoreCase) ||
                                    string.Equals(t.Key, idOrDomain, StringComparison.OrdinalIgnoreCase));

    /// <summary>A tenant's data, generated on first use.</summary>
    public TenantData Data(EmulatedTenant tenant)
    {
        Lazy<TenantData> data;
        lock (_gate)
        {
            data = _data[tenant.Key];
        }

        // Generated outside the lock, so the first requests of many tenants build their data in parallel.
        return data.Value;
    }

    /// <summary>Index of a tenant (its data seed position).</summary>
    public int IndexOf(EmulatedTenant tenant) => Tenants.ToList().IndexOf(tenant);

    /// <summary>Restores every tenant's data and apps' roles, and clears faults and the log.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _data = Build(Tenants, Now);
        }

        Faults.Clear();
        Requests.Clear();
        Tokens.ResetRoles();
    }

    private static Dictionary<string, Lazy<TenantData>> Build(IReadOnlyList<EmulatedTenant> tenants, DateTime now) =>
        tenants.Select((t, i) => (t, i)).ToDictionary(x => x.t.Key, x => new Lazy<TenantData>(() => DataGenerator.Generate(x.t, x.i, now)), StringComparer.Ordinal);
}
