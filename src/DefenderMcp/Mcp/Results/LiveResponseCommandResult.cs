namespace DefenderMcp.Mcp.Results;

/// <summary>One live-response command: its status and, for a script, its transcript (clipped).</summary>
/// <param name="Index">0-based position (get_live_response_result's command_index).</param>
/// <param name="Type">PutFile, RunScript or GetFile.</param>
/// <param name="Target">The script, library file or device path.</param>
/// <param name="Status">Created (not run), Completed or Failed.</param>
/// <param name="Errors">Error texts of a failed command.</param>
/// <param name="ExitCode">A script's exit code.</param>
/// <param name="Output">A script's standard output, clipped.</param>
/// <param name="ScriptErrors">A script's standard error, clipped.</param>
/// <param name="OutputChars">The full length of the output; page it with get_live_response_result.</param>
/// <param name="Truncated">Whether the output or errors were clipped here.</param>
/// <param name="ResultId">A script's whole transcript in the result cache (30 minutes), one row per line: page it with get_hunting_results.</param>
public sealed record LiveResponseCommandResult(int Index, string? Type, string? Target, string? Status, IReadOnlyList<string> Errors, int? ExitCode, string? Output, string? ScriptErrors, int? OutputChars, bool Truncated, string? ResultId = null);
