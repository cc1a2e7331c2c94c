namespace DefenderMcp.Client;

/// <summary>An exposure or configuration score at a time, optionally for one device group.</summary>
public sealed record ScoreSnapshot(double? Score, DateTimeOffset? Time, string? RbacGroupName);
