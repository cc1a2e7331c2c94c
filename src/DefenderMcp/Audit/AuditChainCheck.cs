namespace DefenderMcp.Audit;

/// <summary>What checking one audit file's chain found.</summary>
/// <param name="BrokenAt">The 1-based line that breaks the chain, or null when it is intact.</param>
/// <param name="Lines">Non-empty lines read (up to the break).</param>
/// <param name="LastHash">SHA-256 (hex) of the last line read, empty when there is none.</param>
/// <param name="ContinuesFrom">
/// For a file that begins with an <c>audit_continued</c> line (a rotated trail): that line's <c>prev_hash</c>, the hash
/// of the archive's last line (for an <c>audit_resumed</c> line, the hash its gap follows); null for a file that begins
/// the chain.
/// </param>
/// <param name="PreviousFile">The archive the first line names, when it continues one.</param>
/// <param name="Gaps">Where the file says lines reached only stderr (<see cref="AuditLog.ResumedEvent"/> lines).</param>
public sealed record AuditChainCheck(int? BrokenAt, long Lines, string LastHash, string? ContinuesFrom, string? PreviousFile, IReadOnlyList<AuditGap> Gaps)
{
    /// <summary>Where the file says a restart found it cut (<see cref="AuditTruncation.Event"/> lines).</summary>
    public IReadOnlyList<AuditTruncation> Truncations { get; init; } = [];
}
