using DefenderMcp.Client;

namespace DefenderMcp.Areas.Entities;

/// <summary>How many of the tenant's devices saw an entity, and when first and last (over the look-back).</summary>
public sealed record EntityStatsOutput(long? OrganizationPrevalence, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen)
{
    /// <summary>Maps client statistics.</summary>
    public static EntityStatsOutput From(EntityStats s) => new(s.OrganizationPrevalence, s.OrgFirstSeen, s.OrgLastSeen);
}
