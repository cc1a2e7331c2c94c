using System.Text;
using System.Text.Json;
using DefenderMcp.Hosting.Stdio;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DefenderMcp.Tests.Protocol;

/// <summary>
/// The SDK's own stream transport reading through <see cref="LineCheckingInput"/>, one byte per read so every line
/// is split across reads: a line that is not a JSON object gets one error with id null, a broken object with an id
/// gets the SDK's own answer only (never two), and blank lines and well-formed messages get nothing from it; a line past
/// the length cap is cut, whatever the reads' sizes.
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

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task A_line_past_the_cap_is_cut_there_its_rest_dropped_and_the_next_lines_read_as_usual(int bytesPerRead)
    {
        var pad = new string('x', 300);
        var (answers, read) = await ReadAsync(
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\",\"params\":{\"pad\":\"" + pad + "\"}}\n" +
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}\r\n" +
            "not json " + pad + "\n" +
            "{\"jsonrpc\":\"2.0\",\"params\":{\"pad\":\"" + pad + "\"},\"id\":9,\"method\":\"ping\"}\n" +
            "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"ping\",\"params\":{\"pad\":\"" + pad[..10] + "\"}}\n" +
            "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"ping\",\"params\":{\"pad\":\"" + pad + "\"}}",
            bytesPerRead,
            maxLineBytes: 100);

        // Cut lines: the SDK's parse error where the id came before the cut (5, 11), nothing where it came after (9),
        // one error with id null for the line that is not JSON; the short lines between them are read whole.
        Assert.Equal(
            [((int?)5, -32700), (null, -32700), (11, -32700)],
            answers.Select(l => (l.GetProperty("id").ValueKind == JsonValueKind.Null ? (int?)null : l.GetProperty("id").GetInt32(), l.GetProperty("error").GetProperty("code").GetInt32())));
        Assert.Equal(["6", "10"], read.OfType<JsonRpcRequest>().Select(r => r.Id.ToString()));
    }

    private static async Task<List<JsonElement>> AnswersAsync(string input) => (await ReadAsync(input, 1, LineCheckingInput.MaxLineBytes)).Answers;

    private static async Task<(List<JsonElement> Answers, List<JsonRpcMessage> Read)> ReadAsync(string input, int bytesPerRead, int maxLineBytes)
    {
        var output = new MemoryStream();
        var reader = new LineCheckingInput(new FewBytesPerRead(Encoding.UTF8.GetBytes(input), bytesPerRead), null, maxLineBytes);
        List<JsonRpcMessage> read = [];
        await using (var transport = new StreamServerTransport(reader, output, "test"))
        {
            reader.Attach(transport);
            // The messages it passed on are read, so the reader completes once the input ends.
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            bound.CancelAfter(TimeSpan.FromSeconds(30));
            await foreach (var message in transport.MessageReader.ReadAllAsync(bound.Token))
            {
                read.Add(message);
            }
        }

        return ([.. Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)], read);
    }

    private sealed class FewBytesPerRead(byte[] data, int bytesPerRead) : Stream
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

            var count = Math.Min(Math.Min(bytesPerRead, buffer.Length), data.Length - _position);
            data.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
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
