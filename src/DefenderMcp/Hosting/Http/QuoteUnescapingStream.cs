using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// A write-only stream over an HTTP response that writes every <c>\u0022</c> escape of the JSON passing through it as
/// <c>\"</c>, JSON's own escape for a quote. The SDK's HTTP transport writes its messages with System.Text.Json's default
/// encoder, which escapes quotes for HTML, and a tool result's text block is JSON full of quotes (a 10-row hunt's answer
/// carries about 2,900 of them). Only that one escape changes: <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>'</c>, <c>+</c>,
/// non-ASCII text and control characters stay escaped as the SDK wrote them, so the message is the same JSON to any
/// parser. Applied only to a <c>text/event-stream</c> or <c>application/json</c> answer without a declared length,
/// decided at the first write or flush; anything else passes through untouched.
/// </summary>
internal sealed class QuoteUnescapingStream(HttpResponse response, Stream inner) : WriteOnlyResponseStream
{
    // The longest escape is six bytes (\u0022); a write can end inside one, and its first bytes wait for the next write.
    private const int EscapeLength = 6;

    private readonly byte[] _pending = new byte[EscapeLength];
    private int _pendingCount;
    private bool? _applies;

    /// <summary>
    /// Rewrites <paramref name="json"/> in place (the result is never longer) and returns how many bytes of it are
    /// final; the rest, at most five bytes, is the start of an escape cut off by the end of the write.
    /// </summary>
    internal static int Unescape(Span<byte> json, out int written)
    {
        var read = 0;
        written = 0;
        while (read < json.Length)
        {
            var backslash = json[read..].IndexOf((byte)'\\');
            if (backslash < 0)
            {
                Move(json, read, json.Length - read, ref written);
                return json.Length;
            }

            Move(json, read, backslash, ref written);
            read += backslash;
            if (read + 1 >= json.Length)
            {
                // Cut off after the backslash: kept for the next write.
                return read;
            }

            var unicode = json[read + 1] == (byte)'u';
            if (unicode && read + EscapeLength > json.Length)
            {
                // Cut off inside \uXXXX: kept for the next write.
                return read;
            }

            if (unicode && json.Slice(read, EscapeLength).SequenceEqual("\\u0022"u8))
            {
                json[written++] = (byte)'\\';
                json[written++] = (byte)'"';
                read += EscapeLength;
            }
            else
            {
                // Any other escape, an escaped backslash among them, is copied whole, so its second byte is never
                // read as the start of another escape.
                var length = unicode ? EscapeLength : 2;
                Move(json, read, length, ref written);
                read += length;
            }
        }

        return read;
    }

    /// <inheritdoc />
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await WritePendingAsync(cancellationToken).ConfigureAwait(false);
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what a last write left waiting (an incomplete escape, as it is).</summary>
    public async Task WritePendingAsync(CancellationToken cancellationToken)
    {
        if (_pendingCount > 0)
        {
            var count = _pendingCount;
            _pendingCount = 0;
            await inner.WriteAsync(_pending.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _applies ??= Applies(response);
        if (!_applies.Value)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        var total = _pendingCount + buffer.Length;
        var work = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            _pending.AsSpan(0, _pendingCount).CopyTo(work);
            buffer.Span.CopyTo(work.AsSpan(_pendingCount));
            var done = Unescape(work.AsSpan(0, total), out var written);
            _pendingCount = total - done;
            work.AsSpan(done, _pendingCount).CopyTo(_pending);
            await inner.WriteAsync(work.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(work);
        }
    }

    private static bool Applies(HttpResponse response) =>
        response.ContentLength is null
        && (response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true
            || response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true);

    private static void Move(Span<byte> json, int from, int length, ref int written)
    {
        if (from != written)
        {
            json.Slice(from, length).CopyTo(json[written..]);
        }

        written += length;
    }
}
