using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace DefenderMcp.Audit;

/// <summary>
/// The open head file of an audit trail (<see cref="AuditHead"/>), rewritten in place after every line. Each record has
/// the same length (a zero-padded count, a space, 64 hex digits, a newline: 85 bytes, one write at offset 0), so a
/// rewrite never leaves a longer old record behind, and it costs one write call instead of a new file and a rename.
/// </summary>
internal sealed class AuditHeadFile : IDisposable
{
    private const int CountDigits = 19;
    private const int RecordLength = CountDigits + 1 + 64 + 1;
    private readonly FileStream _stream;
    private readonly byte[] _record = new byte[RecordLength];
    private long _length = -1;

    /// <summary>Opens (or creates, mode 0600) the head file beside an audit file.</summary>
    public AuditHeadFile(string headPath)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _stream = new FileStream(headPath, options);
        _record[CountDigits] = (byte)' ';
        _record[^1] = (byte)'\n';
    }

    /// <summary>Records that the file holds <paramref name="lines"/> lines, the last hashing to <paramref name="lastHashHex"/>.</summary>
    public void Write(long lines, ReadOnlySpan<byte> lastHashHex) => Write(lines, lastHashHex, null);

    /// <summary>
    /// Records the file's lines and last hash (empty when it has none), and after them <paramref name="loss"/> when lines
    /// are reaching only stderr after the file's last one: one write at offset 0, then the file is cut to the new length
    /// when it changed (so a loss that ended leaves nothing behind).
    /// </summary>
    public void Write(long lines, ReadOnlySpan<byte> lastHashHex, AuditHeadLoss? loss)
    {
        if (!lines.TryFormat(_record.AsSpan(0, CountDigits), out var written, "D19", CultureInfo.InvariantCulture) || written != CountDigits)
        {
            throw new IOException("The audit line count does not fit the head record.");
        }

        if (lastHashHex.IsEmpty)
        {
            // No line yet (a loss that began on a file's first line): "-", padded to the record's length.
            _record.AsSpan(CountDigits + 1, 64).Fill((byte)' ');
            _record[CountDigits + 1] = (byte)'-';
        }
        else
        {
            lastHashHex.CopyTo(_record.AsSpan(CountDigits + 1, 64));
        }

        var bytes = loss is null ? _record : [.. _record, .. System.Text.Encoding.UTF8.GetBytes(loss.Format() + "\n")];
        SafeFileHandle handle = _stream.SafeFileHandle;
        RandomAccess.Write(handle, bytes, 0);
        if (_length != bytes.Length)
        {
            // A head left by an older version may be longer than one record, and a loss that ended leaves its line: cut them.
            RandomAccess.SetLength(handle, bytes.Length);
            _length = bytes.Length;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
