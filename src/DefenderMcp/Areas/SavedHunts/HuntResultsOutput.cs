namespace DefenderMcp.Areas.SavedHunts;

/// <summary>The recorded runs of a hunt, newest first, with what a polling analyst asks next.</summary>
/// <param name="Name">The hunt's name.</param>
/// <param name="Count">How many runs follow.</param>
/// <param name="RunInProgress">A run is under way now; null when this server cannot know.</param>
/// <param name="Schedule">"every 1h, next run ... (UTC)", or null when not scheduled.</param>
/// <param name="Runs">The runs, newest first.</param>
public sealed record HuntResultsOutput(string Name, int Count, bool? RunInProgress, string? Schedule, IReadOnlyList<HuntRunRecord> Runs);
