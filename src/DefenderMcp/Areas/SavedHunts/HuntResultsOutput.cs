namespace DefenderMcp.Areas.SavedHunts;

/// <summary>The recorded runs of a hunt, newest first.</summary>
public sealed record HuntResultsOutput(string Name, int Count, IReadOnlyList<HuntRunRecord> Runs);
