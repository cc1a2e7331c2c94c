using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>
/// What one caller may do: per tenant key the highest tier. The effective tier on a tenant is the lower of the
/// tenant policy's and the grant's; a tenant the grant does not name is closed to the caller.
/// </summary>
public sealed class CallerGrant
{
    private readonly IReadOnlyDictionary<string, ActionTier>? _tiers;

    private CallerGrant(IReadOnlyDictionary<string, ActionTier>? tiers) => _tiers = tiers;

    /// <summary>The operator's grant (stdio, or HTTP without a callers file): the tenant policy alone decides.</summary>
    public static CallerGrant Unrestricted { get; } = new(null);

    /// <summary>True when the tenant policy alone decides.</summary>
    public bool IsUnrestricted => _tiers is null;

    /// <summary>A grant of <paramref name="tiers"/> (tenant key to the highest tier).</summary>
    public static CallerGrant Of(IReadOnlyDictionary<string, ActionTier> tiers) => new(new Dictionary<string, ActionTier>(tiers, StringComparer.Ordinal));

    /// <summary>True when the caller may use the tenant at all.</summary>
    public bool Allows(string tenantKey) => _tiers is null || _tiers.ContainsKey(tenantKey);

    /// <summary>The tier the caller may use on <paramref name="tenant"/>, or null when the tenant is closed to it.</summary>
    public ActionTier? EffectiveTier(TenantSettings tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (_tiers is null)
        {
            return tenant.Policy.Actions;
        }

        return _tiers.TryGetValue(tenant.Key, out var granted) ? (ActionTier)Math.Min((int)granted, (int)tenant.Policy.Actions) : null;
    }

    /// <summary>The caller's tenants, in configuration order.</summary>
    public IReadOnlyList<TenantSettings> AllowedTenants(IReadOnlyList<TenantSettings> tenants) =>
        _tiers is null ? tenants : [.. tenants.Where(t => _tiers.ContainsKey(t.Key))];

    /// <summary>The highest effective tier over the caller's tenants; null when it has none (it may call nothing).</summary>
    public ActionTier? HighestTier(IReadOnlyList<TenantSettings> tenants)
    {
        ActionTier? highest = null;
        foreach (var tenant in tenants)
        {
            if (EffectiveTier(tenant) is { } tier && (highest is null || tier > highest))
            {
                highest = tier;
            }
        }

        return highest;
    }
}
