using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>The tenants a call reaches, and whether the caller asked for a fan-out result.</summary>
/// <param name="Tenants">Tenants in configuration order, without duplicates.</param>
/// <param name="IsFanOut">True for <c>"*"</c> or a list of keys: the result is the fan-out envelope.</param>
public sealed record TenantSelection(IReadOnlyList<TenantSettings> Tenants, bool IsFanOut)
{
    /// <summary>The tenant keys, for results and the audit line.</summary>
    public IReadOnlyList<string> Keys => [.. Tenants.Select(t => t.Key)];
}
