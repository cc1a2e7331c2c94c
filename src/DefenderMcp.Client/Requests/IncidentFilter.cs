namespace DefenderMcp.Client;

/// <summary>Incident list filter; values are Graph enum spellings, already validated by the caller.</summary>
public sealed record IncidentFilter(string? Status = null, string? Severity = null, DateTimeOffset? CreatedAfter = null);
