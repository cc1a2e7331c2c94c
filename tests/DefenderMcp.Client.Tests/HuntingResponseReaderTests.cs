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
    public async Task Malformed_bodies_are_upstream_errors(string body)
    {
        var error = await Assert.ThrowsAsync<DefenderApiException>(() => HuntingResponseReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), TestContext.Current.CancellationToken));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.DoesNotContain("not json", error.Message, StringComparison.Ordinal);
    }
}
