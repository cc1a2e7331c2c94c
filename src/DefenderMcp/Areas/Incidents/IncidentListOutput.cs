namespace DefenderMcp.Areas.Incidents;

/// <summary>A page of incidents, newest first.</summary>
public sealed record IncidentListOutput(string Tenant, int Count, int Limit, IReadOnlyList<IncidentSummaryOutput> Incidents);
