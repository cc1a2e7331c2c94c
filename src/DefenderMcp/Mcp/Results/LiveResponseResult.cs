namespace DefenderMcp.Mcp.Results;

/// <summary>A live-response action as followed after it was sent.</summary>
/// <param name="Status">The action's status when the wait ended (Succeeded, Failed, Pending ...).</param>
/// <param name="Final">Whether that status is final.</param>
/// <param name="WaitedSeconds">How long the tool waited.</param>
/// <param name="Commands">Each command, in order.</param>
/// <param name="File">live_response_get_file: the collected file, once saved.</param>
/// <param name="Note">What to do next (still running, a download refused ...), or null.</param>
public sealed record LiveResponseResult(string? Status, bool Final, double WaitedSeconds, IReadOnlyList<LiveResponseCommandResult> Commands, CollectedFileResult? File, string? Note);
