namespace DefenderMcp.Areas.SavedHunts;

/// <summary>The saved hunts, and files that could not be loaded.</summary>
public sealed record SavedHuntListOutput(int Count, IReadOnlyList<SavedHuntOutput> Hunts, IReadOnlyList<string> Problems);
