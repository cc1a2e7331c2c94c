namespace DefenderMcp.Client;

/// <summary>Alert list filter; status and severity in any casing, sent in Graph's spelling (<see cref="FilterValues"/>).</summary>
public sealed record AlertFilter(string? Status = null, string? Severity = null);
