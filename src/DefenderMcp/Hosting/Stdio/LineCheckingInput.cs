using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Hosting.Stdio;

/// <summary>
/// Standard input as the SDK's stream transport reads it, with an answer for the lines it drops: a line that is not
/// a JSON object (<c>hello</c>, <c>[1]</c>, <c>42</c>) gets a JSON-RPC error with id null (-32700 when it is not
/// JSON, -32600 when it is JSON of another kind), as JSON-RPC asks, instead of silence that leaves a client waiting.
/// A line starting with <c>{</c> stays the SDK's alone (it answers a broken one that has an id), so no line is
/// answered twice. The answer goes through the transport's own <see cref="ITransport.SendMessageAsync"/>, which writes
/// each message whole under the transport's lock, so it never interleaves with the SDK's output. The bytes pass through
/// unchanged; the only work on a normal message is finding its line ends and counting its length.
/// A line longer than <paramref name="maxLineBytes"/> (4 MiB unless given, four times the HTTP transport's default body
/// cap) is cut there: the SDK reads the part before the cut as a broken message (its parse error, with the id when the
/// id came first), the rest of the line is dropped unread, and the lines after it are read as usual. Without the cap
/// one line could take any amount of memory: the SDK reads a line whole before parsing it (a 200 MB line took the
/// process to 1.8 GB).
/// </summary>
internal sealed class LineCheckingInput(Stream stdin, ILogger? logger = null, int maxLineBytes = LineCheckingInput.MaxLineBytes) : Stream
{
    /// <summary>The longest line passed on to the SDK, in bytes.</summary>
    public const int MaxLineBytes = 4 * 1024 * 1024;

    // Enough of an odd line to tell JSON from not; a longer one is answered as a parse error.
    private const int MaxKeptLine = 64 * 1024;

    private readonly TaskCompletionSource<ITransport> _transport = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Line _line;
    private byte[]? _kept;
    private int _keptLength;
    private bool _overflow;
    private long _lineLength;

    // After a cut: the rest of that line is dropped up to its end.
    private bool _skipping;

    // Bytes read from stdin after a cut, not yet passed on.
    private byte[] _held = [];
    private int _heldStart;

    private enum Line
    {
        /// <summary>Only spaces or tabs so far.</summary>
        Blank,

        /// <summary>Starts with <c>{</c>: the SDK's.</summary>
        Object,

        /// <summary>Starts with anything else: kept, to be answered at its end.</summary>
        Other,
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The transport the answers go through (the one reading this stream); set once it is made.</summary>
    public void Attach(ITransport transport) => _transport.TrySetResult(transport);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            int read;
            if (_heldStart < _held.Length)
            {
                read = Math.Min(buffer.Length, _held.Length - _heldStart);
                _held.AsSpan(_heldStart, read).CopyTo(buffer.Span);
                _heldStart += read;
            }
            else
            {
                // The console stream ignores cancellation; waiting on it with the token lets the transport shut down.
                var pending = stdin.ReadAsync(buffer, cancellationToken);
                read = pending.IsCompletedSuccessfully ? pending.Result : await pending.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            var (passed, answers) = read == 0 ? (0, End(null)) : Scan(buffer.Span[..read]);
            if (answers is not null)
            {
                await AnswerAsync(answers, cancellationToken).ConfigureAwait(false);
            }

            // Nothing to pass on only when every byte read belonged to a cut line's dropped rest: read on.
            if (passed > 0 || read == 0)
            {
                return passed;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

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
            stdin.Dispose();
            if (_kept is { } kept)
            {
                _kept = null;
                ArrayPool<byte>.Shared.Return(kept);
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The error for a line the SDK drops, or null when the line is blank or the SDK's (tests).</summary>
    internal static JsonRpcError? AnswerFor(ReadOnlySpan<byte> line, bool cut)
    {
        // Blank, or a '{' after spaces and byte order marks: not ours to answer.
        var text = Encoding.UTF8.GetString(line);
        var start = 0;
        while (start < text.Length && (char.IsWhiteSpace(text[start]) || text[start] == '\uFEFF'))
        {
            start++;
        }

        if (start == text.Length || text[start] == '{')
        {
            return null;
        }

        var json = !cut && IsJson(line);
        return new JsonRpcError
        {
            Id = default,
            Error = new JsonRpcErrorDetail
            {
                Code = json ? (int)McpErrorCode.InvalidRequest : (int)McpErrorCode.ParseError,
                Message = json ? "Invalid request: a JSON-RPC message is one JSON object per line." : "Parse error: the line is not JSON; a JSON-RPC message is one JSON object per line.",
            },
        };
    }

    private static bool IsJson(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Lines end at \n or \r, as the SDK's StreamReader.ReadLineAsync splits them. Returns how many bytes at the start of
    // data (moved and cut in place) to pass on.
    private (int Passed, List<JsonRpcError>? Answers) Scan(Span<byte> data)
    {
        List<JsonRpcError>? answers = null;
        if (_skipping)
        {
            var rest = data.IndexOfAny((byte)'\n', (byte)'\r');
            if (rest < 0)
            {
                return (0, null);
            }

            // The cut line already ended where it was cut; what follows its own end is read as usual.
            _skipping = false;
            data[(rest + 1)..].CopyTo(data);
            data = data[..^(rest + 1)];
        }

        var offset = 0;
        while (true)
        {
            var end = data[offset..].IndexOfAny((byte)'\n', (byte)'\r');
            var line = end < 0 ? data[offset..] : data.Slice(offset, end);
            if (_lineLength + line.Length > maxLineBytes)
            {
                // Cut: the allowed part and a line end go on, the rest of this read waits, the rest of the line is dropped.
                var cut = offset + (int)(maxLineBytes - _lineLength);
                Feed(data[offset..cut]);
                answers = End(answers);
                Hold(data[(cut + 1)..]);
                data[cut] = (byte)'\n';
                _skipping = true;
                logger?.LogWarning("A line on standard input was longer than {Max} bytes: it was cut there and the rest of it dropped", maxLineBytes);
                return (cut + 1, answers);
            }

            _lineLength += line.Length;
            Feed(line);
            if (end < 0)
            {
                return (data.Length, answers);
            }

            answers = End(answers);
            offset += end + 1;
        }
    }

    // What was read past a cut, ahead of anything still held from before.
    private void Hold(ReadOnlySpan<byte> rest)
    {
        var before = _held.AsSpan(_heldStart);
        var held = new byte[rest.Length + before.Length];
        rest.CopyTo(held);
        before.CopyTo(held.AsSpan(rest.Length));
        _held = held;
        _heldStart = 0;
    }

    private void Feed(ReadOnlySpan<byte> part)
    {
        if (_line == Line.Object || part.IsEmpty)
        {
            return;
        }

        if (_line == Line.Blank)
        {
            var first = part.IndexOfAnyExcept((byte)' ', (byte)'\t');
            if (first < 0)
            {
                return;
            }

            _line = part[first] == (byte)'{' ? Line.Object : Line.Other;
            part = part[first..];
            if (_line == Line.Object)
            {
                return;
            }
        }

        _kept ??= ArrayPool<byte>.Shared.Rent(4096);
        var room = MaxKeptLine - _keptLength;
        if (part.Length > room)
        {
            _overflow = true;
            part = part[..room];
        }

        if (_keptLength + part.Length > _kept.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxKeptLine, Math.Max(_kept.Length * 2, _keptLength + part.Length)));
            _kept.AsSpan(0, _keptLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_kept);
            _kept = larger;
        }

        part.CopyTo(_kept.AsSpan(_keptLength));
        _keptLength += part.Length;
    }

    private List<JsonRpcError>? End(List<JsonRpcError>? answers)
    {
        if (_line == Line.Other && AnswerFor(_kept.AsSpan(0, _keptLength), _overflow) is { } answer)
        {
            (answers ??= []).Add(answer);
        }

        _line = Line.Blank;
        _keptLength = 0;
        _overflow = false;
        _lineLength = 0;
        return answers;
    }

    private async Task AnswerAsync(List<JsonRpcError> answers, CancellationToken cancellationToken)
    {
        var transport = await _transport.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var answer in answers)
        {
            try
            {
                await transport.SendMessageAsync(answer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The transport logs a failed send itself; reading goes on, as after its own failed answers.
            }
        }
    }
}
