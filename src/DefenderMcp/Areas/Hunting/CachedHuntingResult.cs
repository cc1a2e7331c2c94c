using DefenderMcp.Client;

namespace DefenderMcp.Areas.Hunting;

/// <summary>A hunting result kept server-side so the model can page it without re-running the query.</summary>
/// <param name="ResultId">The opaque handle given to the model.</param>
/// <param name="Tenant">The tenant key the result belongs to; a handle never crosses tenants.</param>
/// <param name="Query">The query that produced it.</param>
/// <param name="Timespan">The effective timespan.</param>
/// <param name="Result">Schema and rows as received.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="SizeBytes">Its real heap footprint (HuntingResultCache.Footprint), counted against the cache's memory cap.</param>
public sealed record CachedHuntingResult(
    string ResultId,
    string Tenant,
    string Query,
    string Timespan,
    HuntingResult Result,
    DateTimeOffset CreatedAt,
    long SizeBytes);
