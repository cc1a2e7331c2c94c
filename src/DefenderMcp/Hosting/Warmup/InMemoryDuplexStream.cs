using System.IO.Pipelines;

namespace DefenderMcp.Hosting.Warmup;

/// <summary>
/// One end of an in-memory connection: reads what the other end writes and the reverse. No socket, no file, no DNS;
/// the warm-up's TLS handshake and HTTP exchange run over a pair of these.
/// </summary>
internal sealed class InMemoryDuplexStream(Stream input, Stream output, PipeWriter outputWriter) : Stream
{
    /// <summary>Two connected ends.</summary>
    public static (InMemoryDuplexStream Client, InMemoryDuplexStream Server) CreatePair()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        return (
            new InMemoryDuplexStream(toClient.Reader.AsStream(), toServer.Writer.AsStream(), toServer.Writer),
            new InMemoryDuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream(), toClient.Writer));
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => input.ReadAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => input.ReadAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => output.WriteAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => output.WriteAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override void Flush() => output.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The other end reads an end of stream, as after a closed connection.
            outputWriter.Complete();
            input.Dispose();
        }

        base.Dispose(disposing);
    }
}
