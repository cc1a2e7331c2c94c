namespace DefenderMcp.Client.Http;

/// <summary>
/// A response body read under a byte cap that holds while the bytes arrive, whatever Content-Length says (a chunked
/// body has none): reads past the cap never happen, the next read throws <see cref="TooLarge"/>. It passes the
/// caller's buffer through (no copy) and costs one subtraction per read, not per byte.
/// </summary>
internal sealed class CappedBodyStream(Stream inner, long cap) : Stream
{
    /// <summary>How many bytes were read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Whether the body went over the cap (the read that found it threw).</summary>
    public bool Exceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The error for a body over <paramref name="cap"/> bytes: names the cap, never the body.</summary>
    public static DefenderApiException TooLarge(long cap) =>
        new(DefenderErrorCode.UpstreamError, $"The Defender response is too large: it is over the client's {cap:D}-byte cap, so it was not read further.",
            advice: "The same request would meet the same cap; ask for less (a smaller limit or a narrower filter) where the tool takes one.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer[..Allowed(buffer.Length)]));

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    // At most one byte past the cap is ever asked for: enough to know the body is over it.
    private int Allowed(int wanted) => (int)Math.Min(wanted, cap - BytesRead + 1);

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > cap)
        {
            Exceeded = true;
            throw TooLarge(cap);
        }

        return read;
    }
}
