using System.Text;
using System.Text.Json;
using DefenderMcp.Hosting.Stdio;
using ModelContextProtocol.Server;

namespace DefenderMcp.Tests.Protocol;

/// <summary>
/// The SDK's own stream transport reading through <see cref="LineCheckingInput"/>, one byte per read so every line
/// is split across reads: a line that is not a JSON object gets one error with id null, a broken object with an id
/// gets the SDK's own answer only (never two), and blank lines and well-formed messages get nothing from it.
/// </summary>
public sealed class LineCheckingInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lines_that_are_not_json_objects_are_answered_once_with_id_null_and_nothing_else_is()
    {
        var lines = await AnswersAsync(
            "hello\n" +
            "\n  \t\r\n" +
            "[1,2]\r" +
            "{\"jsonrpc\":\"2.0\",\"id\":7,\n" +
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n" +
            "  42  \n" +
            "\uFEFF{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}\n" +
            "{\"jsonrpc\":\"2.0\"\n" +
            "not json at the end");

        Assert.Equal(
            [
                (null, -32700),
                (null, -32600),
                ((int?)7, -32700),
                (null, -32600),
                (null, -32700),
            ],
            lines.Select(l => (l.GetProperty("id").ValueKind == JsonValueKind.Null ? (int?)null : l.GetProperty("id").GetInt32(), l.GetProperty("error").GetProperty("code").GetInt32())));
        Assert.All(lines, l => Assert.Equal("2.0", l.GetProperty("jsonrpc").GetString()));
    }

    [Fact]
    public void A_line_over_the_kept_length_is_a_parse_error_and_a_long_object_is_left_to_the_sdk()
    {
        var longText = Encoding.UTF8.GetBytes("\"" + new string('x', 70_000) + "\"");

        Assert.Equal(-32700, LineCheckingInput.AnswerFor(longText.AsSpan(0, 64 * 1024), cut: true)!.Error.Code);
        Assert.Equal(-32600, LineCheckingInput.AnswerFor(longText, cut: false)!.Error.Code);
        Assert.Null(LineCheckingInput.AnswerFor(" \u00A0{\"id\":"u8, cut: false));
    }

    private static async Task<List<JsonElement>> AnswersAsync(string input)
    {
        var output = new MemoryStream();
        var reader = new LineCheckingInput(new OneBytePerRead(Encoding.UTF8.GetBytes(input)));
        await using (var transport = new StreamServerTransport(reader, output, "test"))
        {
            reader.Attach(transport);
            // The messages it passed on are read, so the reader completes once the input ends.
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            bound.CancelAfter(TimeSpan.FromSeconds(30));
            await foreach (var _ in transport.MessageReader.ReadAllAsync(bound.Token))
            {
            }
        }

        return [.. Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
    }

    private sealed class OneBytePerRead(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position == data.Length || buffer.IsEmpty)
            {
                return 0;
            }

            buffer[0] = data[_position++];
            return 1;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
