using System.Text;

namespace DefenderMcp.Tests.Support;

/// <summary>A StringWriter safe to write from several threads and read at any time.</summary>
public sealed class SynchronizedWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _buffer = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _buffer.Append(value);
        }
    }

    // Whole under the lock: the audit log writes each line (with its newline) as one char array, and a reader must
    // never see half of one (TextWriter's own version writes it a char at a time).
    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            _buffer.Append(buffer, index, count);
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            _buffer.Append(buffer);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _buffer.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _buffer.Append(value).Append('\n');
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _buffer.ToString();
        }
    }
}
