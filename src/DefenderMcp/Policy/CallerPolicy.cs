using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>
/// The <c>callers</c> section: which tenants each HTTP caller may use and up to which tier. A caller gets the union
/// of every rule it matches (per tenant, the highest tier); a caller no rule matches gets nothing. Without a callers
/// file (<see cref="Unrestricted"/>) every caller has the tenant policy as configured.
/// </summary>
public sealed class CallerPolicy(IReadOnlyList<CallerRule> rules)
{
    /// <summary>No callers file: callers are not restricted beyond the tenant policy.</summary>
    public static CallerPolicy Unrestricted { get; } = new([]) { IsEnforced = false };

    /// <summary>True when a callers file is in force.</summary>
    public bool IsEnforced { get; private init; } = true;

    /// <summary>The rules, in file order.</summary>
    public IReadOnlyList<CallerRule> Rules { get; } = rules;

    /// <summary>What <paramref name="caller"/> may do on <paramref name="tenants"/>; a null caller is the operator.</summary>
    public CallerGrant Grant(CallerContext? caller, IReadOnlyList<TenantSettings> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        if (caller is null || !IsEnforced)
        {
            return CallerGrant.Unrestricted;
        }

        var tiers = new Dictionary<string, ActionTier>(StringComparer.Ordinal);
        foreach (var rule in Rules.Where(r => r.Matches(caller)))
        {
            var keys = rule.Tenants.Contains(CallerRule.AllTenants) ? tenants.Select(t => t.Key) : rule.Tenants;
            foreach (var key in keys)
            {
                tiers[key] = tiers.TryGetValue(key, out var current) && current > rule.Actions ? current : rule.Actions;
            }
        }

        return CallerGrant.Of(tiers);
    }
}
