namespace DefenderMcp.Client;

/// <summary>A comment on an incident or alert.</summary>
/// <param name="Comment">The text.</param>
/// <param name="CreatedByDisplayName">Who wrote it.</param>
/// <param name="CreatedDateTime">When.</param>
public sealed record IncidentComment(string? Comment, string? CreatedByDisplayName, DateTimeOffset? CreatedDateTime);
