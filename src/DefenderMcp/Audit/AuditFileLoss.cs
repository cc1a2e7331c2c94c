namespace DefenderMcp.Audit;

/// <summary>
/// The audit file could not be (re)opened or written, so lines reach only stderr: how many, which hashes they run between, and when
/// to try the file again. Tries back off (1 s, doubling, at most a minute apart) so a file that stays unwritable for
/// months costs one failed open a minute, not one per line; when the file opens again it begins (or goes on) with an
/// <see cref="AuditLog.ResumedEvent"/> line that records the gap, so <c>audit verify</c> reports it as a gap. The loss is
/// kept in a head too (<see cref="HeadPath"/>, <see cref="AuditHeadLoss"/>), so a server that restarts before the resume
/// resumes it instead of beginning a new chain.
/// </summary>
/// <param name="afterHash">The hash of the last line the file holds (for a rotation, the archive's last line).</param>
/// <param name="archive">The archive the file was renamed to just before the loss, if that is how it began.</param>
/// <param name="now">When the loss began.</param>
/// <param name="goodLength">
/// For a write that failed (a full disk): the file's length after its last whole line, to cut a half-written line back
/// to before the file resumes; null when the file was lost by a rotation.
/// </param>
/// <param name="headPath">The head that records the loss: the archive's for a rotation, else the file's.</param>
/// <param name="headLines">The lines of the file that head belongs to.</param>
/// <param name="headHash">The hash of that file's last line, empty when it has none.</param>
internal sealed class AuditFileLoss(string afterHash, string? archive, DateTimeOffset now, long? goodLength, string headPath, long headLines, string headHash)
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

    /// <summary>The hash of the last of them, empty while there is none.</summary>
    public string LastMissingHash { get; private set; } = string.Empty;

    /// <summary>The head that records the loss, so that a restarted server can resume it.</summary>
    public string HeadPath { get; private set; } = headPath;

    /// <summary>The lines of the file whose head records the loss.</summary>
    public long HeadLines { get; private set; } = headLines;

    /// <summary>The hash of that file's last line, empty when it has none.</summary>
    public string HeadHash { get; private set; } = headHash;

    /// <summary>The loss as its head records it; null while no line is missing yet.</summary>
    public AuditHeadLoss? Recorded => MissingLines == 0 ? null : new(MissingLines, AfterHash, FirstMissingHash, LastMissingHash, GoodLength, Archive);

    /// <summary>
    /// The loss a head records (a server stopped before the file resumed), to go on with: its next line resumes the file.
    /// </summary>
    public static AuditFileLoss Resume(AuditHead head, string headPath, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(head);
        var recorded = head.Loss ?? throw new ArgumentException("The head records no loss.", nameof(head));
        return new AuditFileLoss(recorded.AfterHash, recorded.Archive, now, recorded.GoodLength, headPath, head.Lines, head.LastHash)
        {
            MissingLines = recorded.MissingLines,
            FirstMissingHash = recorded.FirstHash,
            LastMissingHash = recorded.LastHash,
            NextTry = now,
        };
    }

    /// <summary>When the file may be tried again.</summary>
    public DateTimeOffset NextTry { get; private set; } = now + FirstRetry;

    /// <summary>A line (hashing to <paramref name="hashHex"/>) went to stderr only.</summary>
    public void Missed(ReadOnlySpan<byte> hashHex)
    {
        LastMissingHash = System.Text.Encoding.ASCII.GetString(hashHex);
        if (MissingLines++ == 0)
        {
            FirstMissingHash = LastMissingHash;
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

    /// <summary>
    /// From now on the loss is recorded in the reopened file's own head (<paramref name="headPath"/>), which holds
    /// <paramref name="lines"/> lines, the last hashing to <paramref name="lastHash"/>.
    /// </summary>
    public void RecordIn(string headPath, long lines, string lastHash)
    {
        HeadPath = headPath;
        HeadLines = lines;
        HeadHash = lastHash;
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
