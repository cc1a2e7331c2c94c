namespace DefenderMcp.Client;

/// <summary>Incident list filter; status and severity in any casing, sent in Graph's spelling (<see cref="FilterValues"/>).</summary>
public sealed record IncidentFilter(string? Status = null, string? Severity = null, DateTimeOffset? CreatedAfter = null);
