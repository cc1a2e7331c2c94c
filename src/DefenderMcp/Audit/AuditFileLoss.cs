namespace DefenderMcp.Audit;

/// <summary>
/// The audit file could not be (re)opened or written, so lines reach only stderr: how many, which hashes they run between, and when
/// to try the file again. Tries back off (1 s, doubling, at most a minute apart) so a file that stays unwritable for
/// months costs one failed open a minute, not one per line; when the file opens again it begins (or goes on) with an
/// <see cref="AuditLog.ResumedEvent"/> line that records the gap, so <c>audit verify</c> reports it as a gap.
/// </summary>
/// <param name="afterHash">The hash of the last line the file holds (for a rotation, the archive's last line).</param>
/// <param name="archive">The archive the file was renamed to just before the loss, if that is how it began.</param>
/// <param name="now">When the loss began.</param>
/// <param name="goodLength">
/// For a write that failed (a full disk): the file's length after its last whole line, to cut a half-written line back
/// to before the file resumes; null when the file was lost by a rotation.
/// </param>
internal sealed class AuditFileLoss(string afterHash, string? archive, DateTimeOffset now, long? goodLength = null)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(1);
    private TimeSpan _retry = FirstRetry;

    /// <summary>The hash of the last line the file holds: the missing lines follow it.</summary>
    public string AfterHash { get; } = afterHash;

    /// <summary>The archive (file name) the file was rotated to just before the loss, if any.</summary>
    public string? Archive { get; } = archive;

    /// <summary>The file's length after its last whole line, when a write failed; null when a rotation lost it.</summary>
    public long? GoodLength { get; private set; } = goodLength;

    /// <summary>Lines that reached stderr only.</summary>
    public long MissingLines { get; private set; }

    /// <summary>The hash of the first of them, empty while there is none.</summary>
    public string FirstMissingHash { get; private set; } = string.Empty;

    /// <summary>When the file may be tried again.</summary>
    public DateTimeOffset NextTry { get; private set; } = now + FirstRetry;

    /// <summary>A line (hashing to <paramref name="hashHex"/>) went to stderr only.</summary>
    public void Missed(ReadOnlySpan<byte> hashHex)
    {
        if (MissingLines++ == 0)
        {
            FirstMissingHash = System.Text.Encoding.ASCII.GetString(hashHex);
        }
    }

    /// <summary>
    /// The file reopened but its resume line could not be written (still full): the loss goes on, cut back to
    /// <paramref name="goodLength"/> at the next try, which waits twice as long.
    /// </summary>
    public void WriteFailed(long goodLength, DateTimeOffset at)
    {
        GoodLength = goodLength;
        TryLater(at);
    }

    /// <summary>A try failed at <paramref name="at"/>: the next waits twice as long, up to a minute.</summary>
    public void TryLater(DateTimeOffset at)
    {
        _retry = _retry * 2 > LongestRetry ? LongestRetry : _retry * 2;
        NextTry = at + _retry;
    }

    /// <summary>
    /// The line the file resumes with. Its <c>prev_hash</c> (added by the chain) is the last missing line's hash, so
    /// stderr's chain runs on unbroken; it names the gap's start (<c>missing_after</c>), its first line and its size.
    /// </summary>
    public AuditRecord ResumeRecord(bool fileIsNew) => new()
    {
        Event = AuditLog.ResumedEvent,
        Counts = new Dictionary<string, long> { [AuditLog.MissingLinesCount] = MissingLines },
        Notes = fileIsNew && Archive is not null
            ? [$"previous_file={Archive}", $"missing_after={AfterHash}", $"missing_first={FirstMissingHash}"]
            : [$"missing_after={AfterHash}", $"missing_first={FirstMissingHash}"],
    };
}
