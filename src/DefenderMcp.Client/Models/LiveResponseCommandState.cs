namespace DefenderMcp.Client;

/// <summary>One command of a live-response action as Defender reports it.</summary>
/// <param name="Index">0-based position (the result link's index).</param>
/// <param name="Type">PutFile, RunScript or GetFile.</param>
/// <param name="Status">Created, Completed or Failed (a command after a failed one stays Created).</param>
/// <param name="Target">The script name, file name or path the command names.</param>
/// <param name="Errors">Error texts, when the command failed.</param>
/// <param name="StartTime">When it started.</param>
/// <param name="EndTime">When it ended.</param>
public sealed record LiveResponseCommandState(int Index, string? Type, string? Status, string? Target, IReadOnlyList<string> Errors, DateTimeOffset? StartTime, DateTimeOffset? EndTime);
