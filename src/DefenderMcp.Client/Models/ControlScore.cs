namespace DefenderMcp.Client;

/// <summary>The tenant's score on one Secure Score control.</summary>
public sealed record ControlScore(string? Name, string? Category, double? Score, string? Description);
