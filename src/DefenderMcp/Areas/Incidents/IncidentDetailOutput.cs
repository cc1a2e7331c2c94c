using DefenderMcp.Areas.Alerts;

namespace DefenderMcp.Areas.Incidents;

/// <summary>One incident with its alerts and the impacted entities flattened from their evidence, all bounded.</summary>
public sealed record IncidentDetailOutput(
    string Tenant,
    IncidentSummaryOutput Incident,
    string? Description,
    int AlertCount,
    IReadOnlyList<AlertSummaryOutput> Alerts,
    bool AlertsTruncated,
    IReadOnlyList<EntityOutput> ImpactedEntities,
    bool EntitiesTruncated);
