using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Policy;

namespace DefenderMcp.Areas.Hunting;

/// <summary>A hunting result kept server-side so the model can page it without re-running the query.</summary>
/// <param name="ResultId">The opaque handle given to the model.</param>
/// <param name="Tenant">The tenant key the result belongs to; a handle never crosses tenants.</param>
/// <param name="Query">The query that produced it.</param>
/// <param name="Timespan">The effective timespan.</param>
/// <param name="Result">Schema and rows as received.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="SizeBytes">Its real heap footprint (HuntingResultCache.Footprint), counted against the cache's memory cap.</param>
/// <param name="Tier">
/// The tier a caller needs on <paramref name="Tenant"/> to read it: <c>read</c> for a hunt, <c>live_response</c> for a
/// script's transcript, which only that tier may fetch from Defender.
/// </param>
public sealed record CachedHuntingResult(
    string ResultId,
    string Tenant,
    string Query,
    string Timespan,
    HuntingResult Result,
    DateTimeOffset CreatedAt,
    long SizeBytes,
    ActionTier Tier = ActionTier.Read)
{
    /// <summary>
    /// True when a caller with <paramref name="grant"/> may read this result: its tenant is configured and the caller's
    /// effective tier there is at least <see cref="Tier"/>. Anything else must look like a missing result.
    /// </summary>
    public bool IsReadableBy(CallerGrant grant, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.FindTenant(Tenant) is { } tenant && grant.EffectiveTier(tenant) is { } tier && tier >= Tier;
    }
}
