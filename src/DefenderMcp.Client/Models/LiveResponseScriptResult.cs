namespace DefenderMcp.Client;

/// <summary>The transcript of a RunScript command (its result link's JSON).</summary>
/// <param name="ScriptName">The script.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Errors">Standard error.</param>
public sealed record LiveResponseScriptResult(string? ScriptName, int? ExitCode, string Output, string Errors);
