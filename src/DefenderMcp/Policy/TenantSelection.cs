using System.Text.Json.Nodes;
using DefenderMcp.Configuration;

namespace DefenderMcp.Policy;

/// <summary>The tenants a call reaches, and whether the caller asked for a fan-out result.</summary>
/// <param name="Tenants">Tenants in configuration order, without duplicates.</param>
/// <param name="IsFanOut">True for <c>"*"</c> or a list of keys: the result is the fan-out envelope.</param>
/// <param name="Audited">The <c>tenant</c> argument as the audit line records it (<c>"*"</c>, the key, or the keys); null when none was given.</param>
public sealed record TenantSelection(IReadOnlyList<TenantSettings> Tenants, bool IsFanOut, JsonNode? Audited = null)
{
    /// <summary>The tenant keys, for results and the audit line.</summary>
    public IReadOnlyList<string> Keys => [.. Tenants.Select(t => t.Key)];
}
