namespace DefenderMcp.Client;

/// <summary>Alert list filter; values are Graph enum spellings, already validated by the caller.</summary>
public sealed record AlertFilter(string? Status = null, string? Severity = null);
