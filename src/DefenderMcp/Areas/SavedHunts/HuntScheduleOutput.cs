namespace DefenderMcp.Areas.SavedHunts;

/// <summary>The state of a hunt's schedule after a change.</summary>
public sealed record HuntScheduleOutput(string Name, bool Scheduled, string? Every, IReadOnlyList<string> Tenants, string Message);
