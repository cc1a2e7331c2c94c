using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DefenderMcp.Audit;

/// <summary>
/// Writes one JSON line per event to stderr and, optionally, to a file (mode 0600). Each line carries
/// <c>prev_hash</c>, the SHA-256 of the previous line, so an edited or removed line is detectable; a head file beside it
/// (<see cref="AuditHead"/>) records the line count and last hash, so lines cut from the end are detectable too.
/// </summary>
/// <remarks>
/// A line is written before <see cref="Write(AuditRecord)"/> returns, so a tool's result never leaves before its audit line. The
/// record is serialized once, into a per-thread UTF-8 buffer, outside the lock; under the lock only the chain's own
/// work is done: append <c>prev_hash</c>, hash the line's bytes, write them (one write each to stderr and the file) and
/// rewrite the head in place.
/// </remarks>
public sealed class AuditLog : IDisposable
{
    private const int KeptBufferBytes = 64 * 1024;
    private static readonly byte[] PrevHashPrefix = ",\"prev_hash\":\""u8.ToArray();

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private readonly Lock _gate = new();
    private readonly TextWriter _console;
    private readonly string? _path;
    private readonly TimeProvider _time;
    private readonly byte[] _previousHash = new byte[64];
    private FileStream? _file;
    private AuditHeadFile? _head;
    private long? _maxFileBytes;
    private int _previousHashLength;
    private long _fileLines;
    private long _fileBytes;
    private AuditFileLoss? _loss;
    private AuditFileLoss? _resuming;
    private AuditHeadFile? _lossHead;
    private AuditFileLock? _otherWriters;

    /// <summary>Creates the log; when <paramref name="filePath"/> is given the chain continues from its last line.</summary>
    public AuditLog(TextWriter console, string? filePath, TimeProvider time)
        : this(console, filePath, time, null)
    {
    }

    /// <summary>
    /// Creates the log; a file that would pass <paramref name="maxFileBytes"/> is renamed to an archive beside it
    /// (<see cref="ArchivePath"/>, with its head) and a new one begins with an <c>audit_continued</c> line that chains to
    /// the archive's last line, so the chain runs on across files and no line is lost.
    /// </summary>
    public AuditLog(TextWriter console, string? filePath, TimeProvider time, long? maxFileBytes)
    {
        _console = console;
        _time = time;
        _path = filePath;
        _maxFileBytes = maxFileBytes;
        if (filePath is not null)
        {
            _otherWriters = AuditFileLock.TryOpen(filePath);
            var locked = _otherWriters?.Enter() ?? false;
            try
            {
                Start(filePath);
            }
            finally
            {
                if (locked)
                {
                    _otherWriters!.Exit();
                }
            }
        }
    }

    // The chain goes on from the file as it is (under the lock of other writers, so none is halfway through a line).
    private void Start(string filePath)
    {
        if (RecordedLoss(filePath) is { } recorded)
        {
            // The server stopped while lines reached only stderr: the file resumes with that gap recorded (or the
            // loss goes on), so audit verify reports a gap where a new chain would read as a broken one.
            _loss = AuditFileLoss.Resume(recorded.Head, recorded.HeadPath, _time.GetUtcNow());
            _previousHashLength = Encoding.ASCII.GetBytes(_loss.LastMissingHash, _previousHash);
            TryResume();
            return;
        }

        // The head says where the last server left the file; a file that does not reach it was cut while stopped.
        var head = AuditHead.TryRead(AuditHead.PathFor(filePath));
        (_fileLines, var lastHash, var hashAtHeadLine) = AuditTruncation.Scan(filePath, head?.Lines ?? 0);
        _previousHashLength = Encoding.ASCII.GetBytes(lastHash, _previousHash);
        Open(filePath);
        if (AuditTruncation.Find(head, _fileLines, lastHash, hashAtHeadLine) is { } cut)
        {
            // Before any other line, and before the head is rewritten to match the file: the cut stays on record.
            Write(cut.Record());
        }
    }

    /// <summary>The event that begins a file continuing an archived one.</summary>
    public const string ContinuedEvent = "audit_continued";

    /// <summary>
    /// The event the file resumes with after lines that reached only stderr (it could not be reopened): its
    /// <c>prev_hash</c> is the last such line's hash, its notes name the hash the gap follows (<c>missing_after=</c>) and
    /// its first line's hash (<c>missing_first=</c>), and <see cref="MissingLinesCount"/> says how many there were.
    /// </summary>
    public const string ResumedEvent = "audit_resumed";

    /// <summary>The count, on a <see cref="ResumedEvent"/> line, of lines that reached only stderr.</summary>
    public const string MissingLinesCount = "missing_lines";

    /// <summary>Test seam: runs before each write of a line to the file (to write part of it and fail, as a full disk does).</summary>
    internal Action<FileStream>? BeforeFileWrite { get; set; }

    /// <summary>Test seam: runs when a rotation has renamed the file (or failed to), before it is reopened (to make that fail).</summary>
    internal Action? BeforeRotationReopen { get; set; }

    /// <summary>
    /// Where <paramref name="filePath"/> goes when it is rotated at <paramref name="at"/>:
    /// <c>audit.jsonl</c> becomes <c>audit.20261201T033000123Z.jsonl</c>, which sorts by time.
    /// </summary>
    public static string ArchivePath(string filePath, DateTimeOffset at, int attempt = 0)
    {
        ArgumentNullException.ThrowIfNull(filePath);
        var stamp = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + (attempt > 0 ? $"-{attempt}" : string.Empty);
        var folder = Path.GetDirectoryName(filePath) ?? ".";
        return Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(filePath)}.{stamp}{Path.GetExtension(filePath)}");
    }

    /// <summary>Appends one record. Never throws: an audit failure is reported on stderr and the call goes on.</summary>
    public void Write(AuditRecord record) => Write(record, toDisk: false);

    /// <summary>
    /// Appends one record; with <paramref name="toDisk"/> the file is flushed to the disk before this returns (an
    /// <c>action_intent</c> line, before a write is sent: it must outlive a crash of the machine too). Never throws.
    /// </summary>
    public void Write(AuditRecord record, bool toDisk)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            t_writer = writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }

        SerializeWithoutHash(writer, record, _time.GetUtcNow());
        lock (_gate)
        {
            var locked = false;
            try
            {
                locked = _otherWriters?.Enter() ?? false;
                if (_file is not null && _otherWriters is not null)
                {
                    FollowOtherWriters();
                }

                if (_loss is not null && _time.GetUtcNow() >= _loss.NextTry)
                {
                    TryResume();
                }

                // The line's bytes once prev_hash, the closing brace and the newline are on: 14 + 64 + 3 more.
                if (_file is not null && _fileLines > 0 && _fileBytes + buffer.WrittenCount + 81 > _maxFileBytes)
                {
                    TryRotate();
                }

                AppendChained(buffer);
                if (toDisk)
                {
                    _file?.Flush(flushToDisk: true);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                _console.WriteLine("{\"event\":\"audit_failure\",\"message\":\"could not write the audit file\"}");
            }
            finally
            {
                if (locked)
                {
                    _otherWriters!.Exit();
                }
            }
        }

        if (buffer.Capacity > KeptBufferBytes)
        {
            // A rare huge record (a long query) does not pin its buffer on this thread for good.
            t_buffer = null;
            t_writer = null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _file?.Dispose();
        _head?.Dispose();
        _lossHead?.Dispose();
        _otherWriters?.Dispose();
    }

    // Under both locks: another process on the same file (a second server, defender-mcp call) may have added lines or
    // rotated the file since this one's last line. Its lines are counted and the chain goes on from the last of them, at
    // the file's real end; a file rotated away is followed to the new one. (Before, each process wrote at the offset it
    // remembered, over the other's lines, and chained to its own last line.)
    private void FollowOtherWriters()
    {
        var path = _path!;
        long onPath;
        try
        {
            onPath = new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            // Removed while this server writes it: its lines go on into the open file, as they always did.
            return;
        }

        // The handle's own length, from the file system: a FileStream that does not share writing keeps its length cached.
        var open = RandomAccess.GetLength(_file!.SafeFileHandle);
        if (onPath != open)
        {
            // Another file at the path: the one open here was rotated to an archive by another process.
            _file.Dispose();
            _head!.Dispose();
            _file = null;
            _head = null;
            var (lines, lastHash) = AuditChain.CountAndLastHash(path);
            _fileLines = lines;
            _previousHashLength = Encoding.ASCII.GetBytes(lastHash, _previousHash);
            ReopenOrLose(path, archive: null);
            return;
        }

        if (open > _fileBytes)
        {
            var (added, lastHash) = AuditChain.CountAndLastHashFrom(path, _fileBytes);
            _fileLines += added;
            if (lastHash.Length > 0)
            {
                _previousHashLength = Encoding.ASCII.GetBytes(lastHash, _previousHash);
            }
        }

        _fileBytes = open;
        _file.Position = open;
    }

    // Under the lock: closes the record with prev_hash, hashes it, and writes it to stderr and the file.
    private void AppendChained(ArrayBufferWriter<byte> buffer)
    {
        var priorLength = _previousHashLength;
        buffer.Write(PrevHashPrefix);
        buffer.Write(_previousHash.AsSpan(0, _previousHashLength));
        buffer.Write("\"}"u8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        WriteHex(hash, _previousHash);
        _previousHashLength = _previousHash.Length;
        buffer.Write("\n"u8);
        var line = buffer.WrittenSpan;
        WriteConsole(line);
        if (_file is not null)
        {
            try
            {
                BeforeFileWrite?.Invoke(_file);
                _file.Write(line);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                // A full disk: this line and the next reach stderr only, the file is cut back to its last whole line and
                // resumes with the gap recorded, instead of a chain broken at every later line. The line before this
                // one is the prev_hash this line carries (the 64 hex digits before its closing "}\n).
                LoseOnWrite(Encoding.ASCII.GetString(line.Slice(line.Length - 3 - priorLength, priorLength)));
                return;
            }

            _fileLines++;
            _fileBytes += line.Length;
            _head!.Write(_fileLines, _previousHash);
        }
        else if (_loss is not null)
        {
            _loss.Missed(_previousHash);
            RecordLoss();
        }
    }

    // Under the lock, when the file is lost and its next try is due: reopens it and writes the line that records the gap.
    private void TryResume()
    {
        var loss = _loss!;
        var ownHead = AuditHead.PathFor(_path!);
        if (loss.HeadPath == ownHead)
        {
            // The file's own head records the loss: it is reopened with the file.
            CloseLossHead();
        }

        long lines;
        string lastHash;
        try
        {
            if (loss.GoodLength is { } good)
            {
                CutBack(_path!, good);
            }

            (lines, lastHash) = AuditChain.CountAndLastHash(_path!);
            Open(_path!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            loss.TryLater(_time.GetUtcNow());
            OpenLossHead();
            _console.WriteLine($"{{\"event\":\"audit_failure\",\"message\":\"could not reopen the audit file again; {loss.MissingLines} lines reached only stderr so far, tried again at most once a minute\"}}");
            return;
        }

        // A loss begins on a line that then reaches stderr only, so at least one line is missing here. From here on the
        // file's own head is where the loss is kept, should the resume line fail too; an archive's head lets it go.
        (string Path, long Lines, string Hash, AuditHeadFile? Handle)? archiveHead = loss.HeadPath == ownHead ? null : (loss.HeadPath, loss.HeadLines, loss.HeadHash, _lossHead);
        _lossHead = null;
        loss.RecordIn(ownHead, lines, lastHash);
        _fileLines = lines;
        _loss = null;
        _resuming = loss;
        try
        {
            AppendRecord(loss.ResumeRecord(fileIsNew: lines == 0));
        }
        finally
        {
            _resuming = null;
            if (archiveHead is { } archived)
            {
                ForgetLoss(archived.Path, archived.Lines, archived.Hash, archived.Handle);
            }
        }
    }

    // The archive's head drops the loss it kept: the file's chain now records it (or its own head does).
    private static void ForgetLoss(string headPath, long lines, string lastHash, AuditHeadFile? open)
    {
        try
        {
            open ??= new AuditHeadFile(headPath);
            open.Write(lines, Encoding.ASCII.GetBytes(lastHash), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The file has the gap; a stale loss in the archive's head only makes audit verify report it once more.
        }
        finally
        {
            open?.Dispose();
        }
    }

    // Under the lock, while the file is lost: the head that records the loss is kept open, to rewrite with each line.
    private void OpenLossHead()
    {
        if (_lossHead is not null || _loss is null)
        {
            return;
        }

        try
        {
            _lossHead = new AuditHeadFile(_loss.HeadPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Tried again with the file; meanwhile a restart would not know of the loss, as before heads recorded it.
        }

        RecordLoss();
    }

    private void CloseLossHead()
    {
        _lossHead?.Dispose();
        _lossHead = null;
    }

    // Under the lock: the loss so far goes into its head, so that a restarted server resumes it. A head that cannot be
    // written is closed and opened again at the next try of the file.
    private void RecordLoss()
    {
        if (_lossHead is null || _loss?.Recorded is not { } recorded)
        {
            return;
        }

        try
        {
            _lossHead.Write(_loss.HeadLines, Encoding.ASCII.GetBytes(_loss.HeadHash), recorded);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            CloseLossHead();
        }
    }

    // The loss a head beside the file records, when a server stopped before the file resumed: the file's own head (a
    // write failed) or, when the file is missing or empty (a rotation lost it), the newest archive's head.
    private static (AuditHead Head, string HeadPath)? RecordedLoss(string path)
    {
        var ownHead = AuditHead.PathFor(path);
        if (AuditHead.TryRead(ownHead) is { Loss: not null } head)
        {
            return (head, ownHead);
        }

        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            return null;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var stem = Path.GetFileNameWithoutExtension(path);
        var extension = Path.GetExtension(path);
        var newest = Directory.EnumerateFiles(folder, $"{stem}.*{extension}.head")
            .Select(headPath => (HeadPath: headPath, Archive: Path.GetFileName(headPath)[..^".head".Length]))
            .Select(a => (a.HeadPath, a.Archive, Stamp: ArchiveStamp(a.Archive, stem, extension)))
            .Where(a => a.Stamp is not null)
            .OrderBy(a => a.Stamp!.Value.Time, StringComparer.Ordinal).ThenBy(a => a.Stamp!.Value.Attempt)
            .LastOrDefault();
        return newest.HeadPath is not null && AuditHead.TryRead(newest.HeadPath) is { Loss: { } loss } archived && loss.Archive == newest.Archive
            ? (archived, newest.HeadPath)
            : null;
    }

    // The time and attempt an archive's name carries (ArchivePath), or null when the name is not an archive's.
    private static (string Time, int Attempt)? ArchiveStamp(string archive, string stem, string extension)
    {
        if (archive.Length <= stem.Length + 1 + extension.Length || !archive.StartsWith(stem + ".", StringComparison.Ordinal) || !archive.EndsWith(extension, StringComparison.Ordinal))
        {
            return null;
        }

        var stamp = archive[(stem.Length + 1)..^extension.Length].Split('-');
        var attempt = 0;
        return stamp[0] is { Length: 19 } time && time[8] == 'T' && time[^1] == 'Z'
            && (stamp.Length == 1 || (stamp.Length == 2 && int.TryParse(stamp[1], NumberStyles.None, CultureInfo.InvariantCulture, out attempt)))
            ? (time, attempt)
            : null;
    }

    // Under the lock: the file could not take a line. It is closed and lost like a file that could not be reopened, with
    // its length after the last whole line kept, so that a half-written line is cut off before it resumes.
    private void LoseOnWrite(string afterHash)
    {
        var goodLength = _fileBytes;
        try
        {
            _file!.Dispose();
        }
        catch (IOException)
        {
            // Closing a file that just failed a write may fail as well; it is reopened (and cut back) on resume.
        }

        // The file's head stays open: it records the loss, so a server that restarts before the resume resumes it.
        _lossHead = _head;
        _file = null;
        _head = null;
        // A resume whose own line failed goes on with the loss it was ending, so one gap is recorded, not one inside another.
        var loss = _resuming;
        if (loss is null)
        {
            loss = new AuditFileLoss(afterHash, archive: null, _time.GetUtcNow(), goodLength, AuditHead.PathFor(_path!), _fileLines, _fileLines > 0 ? afterHash : string.Empty);
        }
        else
        {
            loss.WriteFailed(goodLength, _time.GetUtcNow());
        }

        loss.Missed(_previousHash);
        _loss = loss;
        RecordLoss();
        _console.WriteLine("{\"event\":\"audit_failure\",\"message\":\"could not write the audit file (is the disk full?); lines go to stderr only until it can be written again, tried again at most once a minute, and it resumes with an audit_resumed line that records the gap\"}");
    }

    // Under the lock: the file is lost; lines go to stderr only, counted, until a try to reopen it succeeds.
    private void Lose(string? archive)
    {
        _file = null;
        _head = null;
        // The head that records the loss: the archive's (the file's lines are there), else the file's own.
        var afterHash = Encoding.ASCII.GetString(_previousHash, 0, _previousHashLength);
        var headPath = AuditHead.PathFor(archive is null ? _path! : Path.Combine(Path.GetDirectoryName(_path!) ?? ".", archive));
        _loss = new AuditFileLoss(afterHash, archive, _time.GetUtcNow(), null, headPath, _fileLines, _fileLines > 0 ? afterHash : string.Empty);
        OpenLossHead();
        _console.WriteLine("{\"event\":\"audit_failure\",\"message\":\"could not reopen the audit file; lines go to stderr only until it reopens, tried again at most once a minute, and it resumes with an audit_resumed line that records the gap\"}");
    }

    // A write that failed may have left part of its line: the file goes back to its length after the last whole line.
    // A file that is shorter than that now was cut by someone else; it stays as it is, and audit verify will say so.
    private static void CutBack(string path, long goodLength)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        if (file.Length > goodLength)
        {
            file.SetLength(goodLength);
        }
    }

    private void AppendRecord(AuditRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            SerializeWithoutHash(writer, record, _time.GetUtcNow());
        }

        AppendChained(buffer);
    }

    private static AuditRecord ContinuedRecord(string archive, long archivedLines) =>
        new() { Event = ContinuedEvent, Notes = [$"previous_file={archive}", $"previous_lines={archivedLines}"] };

    private void Open(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _file = new FileStream(path, options);
        _fileBytes = _file.Length;
        try
        {
            _head = new AuditHeadFile(AuditHead.PathFor(path));
        }
        catch
        {
            _file.Dispose();
            _file = null;
            throw;
        }
    }

    // A rename that fails is said once and not tried again; the line is still written (to stderr at least).
    private void TryRotate()
    {
        try
        {
            Rotate();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _maxFileBytes = null;
            _console.WriteLine("{\"event\":\"audit_failure\",\"message\":\"could not rotate the audit file\"}");
            if (_file is null && _loss is null)
            {
                Lose(archive: null);
            }
        }
    }

    // Under the lock: the full file and its head become an archive, and the new file begins with a line that names the
    // archive and chains to its last line. A rename that fails leaves the file where it is: it keeps growing (said once
    // on stderr) rather than losing a line.
    private void Rotate()
    {
        var path = _path!;
        var now = _time.GetUtcNow();
        var archive = ArchivePath(path, now);
        for (var attempt = 1; File.Exists(archive) || File.Exists(AuditHead.PathFor(archive)); attempt++)
        {
            archive = ArchivePath(path, now, attempt);
        }

        _file!.Dispose();
        _head!.Dispose();
        _file = null;
        _head = null;
        var archivedLines = _fileLines;
        try
        {
            File.Move(AuditHead.PathFor(path), AuditHead.PathFor(archive));
            try
            {
                File.Move(path, archive);
            }
            catch
            {
                File.Move(AuditHead.PathFor(archive), AuditHead.PathFor(path));
                throw;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _maxFileBytes = null;
            _console.WriteLine("{\"event\":\"audit_failure\",\"message\":\"could not rotate the audit file; it keeps growing\"}");
            BeforeRotationReopen?.Invoke();
            ReopenOrLose(path, archive: null);
            return;
        }

        BeforeRotationReopen?.Invoke();
        if (ReopenOrLose(path, Path.GetFileName(archive)))
        {
            _fileLines = 0;
            AppendRecord(ContinuedRecord(Path.GetFileName(archive), archivedLines));
        }
    }

    // Under the lock: a file that cannot be reopened is lost (not for good: later lines try it again) rather than
    // failing every line from here on.
    private bool ReopenOrLose(string path, string? archive)
    {
        try
        {
            Open(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Lose(archive);
            return false;
        }
    }

    private void WriteConsole(ReadOnlySpan<byte> line)
    {
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(line.Length));
        try
        {
            var count = Encoding.UTF8.GetChars(line, chars);
            _console.Write(chars, 0, count);
            _console.Flush();
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static void WriteHex(ReadOnlySpan<byte> hash, Span<byte> hex)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        for (var i = 0; i < hash.Length; i++)
        {
            hex[2 * i] = digits[hash[i] >> 4];
            hex[(2 * i) + 1] = digits[hash[i] & 0xF];
        }
    }

    // Everything but prev_hash and the closing brace, which the chain appends under its lock.
    private static void SerializeWithoutHash(Utf8JsonWriter w, AuditRecord record, DateTimeOffset now)
    {
        Span<byte> ts = stackalloc byte[32];
        if (!now.UtcDateTime.TryFormat(ts, out var tsLength, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("The audit timestamp does not fit its buffer.");
        }

        w.WriteStartObject();
        w.WriteString("ts", ts[..tsLength]);
        w.WriteString("event", record.Event);
        WriteIfSet(w, "tool", record.Tool);
        w.WriteStartArray("tenants");
        foreach (var tenant in record.Tenants)
        {
            w.WriteStringValue(tenant);
        }

        w.WriteEndArray();
        if (record.Parameters is not null)
        {
            w.WritePropertyName("params");
            record.Parameters.WriteTo(w);
        }

        if (record.DurationMs is { } ms)
        {
            w.WriteNumber("duration_ms", ms);
        }

        WriteIfSet(w, "outcome", record.Outcome);
        WriteIfSet(w, "error_code", record.ErrorCode);
        if (record.Counts is { Count: > 0 } counts)
        {
            w.WriteStartObject("counts");
            foreach (var (name, value) in counts)
            {
                w.WriteNumber(name, value);
            }

            w.WriteEndObject();
        }

        WriteIfSet(w, "confirmation", record.Confirmation);
        WriteIfSet(w, "policy_decision", record.PolicyDecision);
        WriteIfSet(w, "action_id", record.ActionId);
        if (record.ClientName is not null || record.ClientVersion is not null)
        {
            w.WriteStartObject("client");
            WriteIfSet(w, "name", record.ClientName);
            WriteIfSet(w, "version", record.ClientVersion);
            w.WriteEndObject();
        }

        if (record.CallerName is not null)
        {
            w.WriteStartObject("caller");
            w.WriteString("name", record.CallerName);
            WriteIfSet(w, "kind", record.CallerKind);
            WriteIfSet(w, "upn", record.CallerUpn);
            WriteIfSet(w, "display_name", record.CallerDisplayName);
            w.WriteEndObject();
        }

        WriteIfSet(w, "reason", record.Reason);
        WriteIfSet(w, "path", record.Path);
        WriteIfSet(w, "remote", record.Remote);

        if (record.Notes is { Count: > 0 } notes)
        {
            w.WriteStartArray("notes");
            foreach (var note in notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
        }

        // The object stays open: Flush commits the bytes without checking that the JSON is complete.
        w.Flush();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
