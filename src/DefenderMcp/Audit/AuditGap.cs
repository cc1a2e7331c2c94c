namespace DefenderMcp.Audit;

/// <summary>
/// Lines an <see cref="AuditLog.ResumedEvent"/> line says reached only stderr (the file could not be reopened): they
/// follow <paramref name="AfterHash"/>, the first hashes to <paramref name="FirstHash"/> and the last to
/// <paramref name="LastHash"/>, so they can be found in the stderr log and checked against the chain there.
/// </summary>
/// <param name="Line">The 1-based line of the file that records the gap.</param>
/// <param name="MissingLines">How many lines are missing.</param>
/// <param name="AfterHash">The hash of the line the gap follows (the file's, or its archive's, last line before it).</param>
/// <param name="FirstHash">The hash of the first missing line.</param>
/// <param name="LastHash">The hash of the last missing line (the resuming line's <c>prev_hash</c>).</param>
public sealed record AuditGap(int Line, long MissingLines, string AfterHash, string FirstHash, string LastHash);
