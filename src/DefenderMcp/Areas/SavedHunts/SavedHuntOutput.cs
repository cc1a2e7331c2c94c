namespace DefenderMcp.Areas.SavedHunts;

/// <summary>A saved hunt as listed to the model.</summary>
public sealed record SavedHuntOutput(string Name, string Description, string Timespan, IReadOnlyList<string> Tenants, IReadOnlyList<string> Techniques, string Query, string? ScheduledEvery);
