using System.Text;
using DefenderMcp.Client.Parsing;

namespace DefenderMcp.Client.Tests;

public sealed class HuntingResponseReaderTests
{
    private const string Body = "{\"@odata.context\":\"x\",\"schema\":[{\"name\":\"A\",\"type\":\"String\"},{\"name\":\"N\",\"type\":\"Int64\"}],\"results\":[{\"A\":\"a,}]\\\"\",\"N\":1},{\"A\":\"b\",\"N\":{\"nested\":[1,2]}},{\"A\":null,\"N\":3}]}";

    private sealed class DribbleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(3, 16)]
    [InlineData(7, 32)]
    [InlineData(4096, 64 * 1024)]
    public async Task Rows_are_sliced_exactly_whatever_the_chunk_boundaries(int chunk, int buffer)
    {
        var result = await HuntingResponseReader.ReadAsync(new DribbleStream(Encoding.UTF8.GetBytes(Body), chunk), TestContext.Current.CancellationToken, buffer);

        Assert.Equal(["A", "N"], result.Schema.Select(c => c.Name));
        Assert.Equal(["{\"A\":\"a,}]\\\"\",\"N\":1}", "{\"A\":\"b\",\"N\":{\"nested\":[1,2]}}", "{\"A\":null,\"N\":3}"], result.Rows.Select(r => Encoding.UTF8.GetString(r.Span)));
        Assert.Equal(Body.Length, result.BodyBytes);
    }

    // Two reads split at every byte position, with a buffer small enough that it must also grow and shift.
    private sealed class SplitStream(byte[] data, int split) : Stream
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
            var end = _position < split ? split : data.Length;
            var n = Math.Min(buffer.Length, end - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Rows_are_sliced_exactly_when_the_body_is_split_at_every_byte()
    {
        var body = Encoding.UTF8.GetBytes("""{"Schema":[{"Name":"A","Type":"String"}],"extra":{"x":[1,{"y":"]}\""}]},"Results":[{"A":"h\u00e9llo \"q\""},{"A":"café ☃"},{}],"tail":1}""");
        string[] expected = ["""{"A":"h\u00e9llo \"q\""}""", """{"A":"café ☃"}""", "{}"];

        for (var split = 0; split <= body.Length; split++)
        {
            foreach (var buffer in new[] { 16, 4096 })
            {
                var result = await HuntingResponseReader.ReadAsync(new SplitStream(body, split), TestContext.Current.CancellationToken, buffer);

                Assert.Equal(expected, result.Rows.Select(r => Encoding.UTF8.GetString(r.Span)));
                Assert.Equal("A", Assert.Single(result.Schema).Name);
                Assert.Equal(body.Length, result.BodyBytes);
            }
        }
    }

    [Fact]
    public async Task A_body_over_the_cap_is_an_upstream_error()
    {
        var body = Encoding.UTF8.GetBytes("{\"schema\":[],\"results\":[" + string.Join(',', Enumerable.Repeat("{\"A\":1}", 500)) + "]}");

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => HuntingResponseReader.ReadAsync(new MemoryStream(body), TestContext.Current.CancellationToken, 256, maxBodyBytes: 1024));
        var whole = await HuntingResponseReader.ReadAsync(new MemoryStream(body), TestContext.Current.CancellationToken, 256, maxBodyBytes: body.Length);

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal(500, whole.Rows.Count);
    }

    [Fact]
    public async Task Pascal_case_and_results_before_schema_are_accepted()
    {
        var body = "{\"Results\":[{\"X\":1}],\"Schema\":[{\"Name\":\"X\",\"Type\":\"Int32\"}]}";

        var result = await HuntingResponseReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), TestContext.Current.CancellationToken);

        Assert.Equal("Int32", Assert.Single(result.Schema).Type);
        Assert.Single(result.Rows);
    }

    [Theory]
    [InlineData("{\"schema\":[{\"name\":\"A\"}],\"results\":[{\"A\":1},")]
    [InlineData("not json")]
    [InlineData("{\"results\":[]}")]
    [InlineData("[1,2]")]
    [InlineData("{\"schema\":[],\"results\":[1]}")]
    [InlineData("{\"schema\":{\"name\":\"A\"},\"results\":[]}")]
    [InlineData("{\"schema\":[{\"type\":\"String\"}],\"results\":[]}")]
    [InlineData("{\"schema\":[{\"name\":1}],\"results\":[]}")]
    [InlineData("{\"schema\":[{\"name\":\"" + "LongName" + "\"}],\"results\":[]}")]
    [InlineData("{\"schema\":[{\"name\":\"A\",\"type\":\"" + "LongType" + "\"}],\"results\":[]}")]
    public async Task Malformed_bodies_are_upstream_errors(string body)
    {
        // A column name beyond Kusto's 1,024 characters or a type name beyond 64 is not a column (the emulator's "huge" body).
        body = body.Replace("LongName", new string('n', 1025), StringComparison.Ordinal).Replace("LongType", new string('t', 65), StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<DefenderApiException>(() => HuntingResponseReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), TestContext.Current.CancellationToken));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.DoesNotContain("not json", error.Message, StringComparison.Ordinal);
    }

    // A large value spread over many reads (a hostile member the reader skips, a long string, a big row) is scanned
    // a logarithmic number of times, not once per read: the bytes given to all parse passes stay a small multiple of
    // the body, where a pass after every 1 KB read would scan the 4 MB member about 2,000 times.
    [Theory]
    [InlineData("""{"junk":[""", """]""")]
    [InlineData("""{"junk":" """, "\"")]
    [InlineData("""{"schema":[{"name":"A","type":"String"}],"results":[{"A":" """, "\"}")]
    public async Task A_large_value_over_many_reads_is_scanned_a_bounded_number_of_times(string before, string after)
    {
        var filler = before.EndsWith('[') ? string.Join(',', Enumerable.Repeat("1234567", 512 * 1024)) : new string('x', 4 * 1024 * 1024);
        var closing = before.Contains("results", StringComparison.Ordinal) ? "]}" : ",\"schema\":[{\"name\":\"A\",\"type\":\"String\"}],\"results\":[{\"A\":1}]}";
        var body = Encoding.UTF8.GetBytes(before.TrimEnd() + filler + after + closing);
        long scanned = 0;

        var result = await HuntingResponseReader.ReadAsync(new DribbleStream(body, 1024), 64 * 1024, HuntingResponseReader.MaxBodyBytes, bytes => scanned += bytes, TestContext.Current.CancellationToken);

        Assert.Single(result.Rows);
        Assert.True(scanned < 4L * body.Length, $"the parse passes were given {scanned:N0} bytes for a {body.Length:N0}-byte body");
    }
}
