namespace DefenderMcp.Mcp.Results;

/// <summary>The failure of one target of a bulk action: a code the model can act on and a safe message.</summary>
/// <param name="Code">The error code (as in a tool error).</param>
/// <param name="Message">What happened, never a raw upstream body.</param>
public sealed record TargetError(string Code, string Message);
