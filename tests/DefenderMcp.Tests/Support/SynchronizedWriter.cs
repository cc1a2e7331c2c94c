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
