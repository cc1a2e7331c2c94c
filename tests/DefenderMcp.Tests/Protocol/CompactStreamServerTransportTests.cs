using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Hosting.Stdio;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Protocol;

/// <summary>
/// The stdio transport's writer: one JSON line per message, escaped only as JSON needs (a quote as \", text outside
/// ASCII as UTF-8, control characters still escaped), whole under concurrent sends and for messages past its kept
/// buffer, a failed write reported as the SDK's transport reports it, and answers still written after the input ends.
/// </summary>
public sealed class CompactStreamServerTransportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_result_is_one_line_escaped_only_as_json_needs_and_reads_back_unchanged()
    {
        const string Text = "{\"q\":\"a <b> & 'c' + d\",\"é\":\"日本\",\"ctl\":\"\u0001\t\",\"sep\":\"\u2028\u2029\r\n\",\"back\":\"C:\\\\x\"}";
        var output = new MemoryStream();
        await using (var transport = new CompactStreamServerTransport(OpenInput(), output, "test", null))
        {
            await transport.SendMessageAsync(Response(1, Text), Ct);
        }

        var written = Encoding.UTF8.GetString(output.ToArray());
        Assert.EndsWith("\n", written, StringComparison.Ordinal);
        var line = Assert.Single(written.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("{\\\"q\\\":\\\"a <b> & 'c' + d\\\"", line, StringComparison.Ordinal);
        Assert.Contains("日本", line, StringComparison.Ordinal);
        Assert.Contains("\\u0001\\t", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0022", line, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u003C", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\u0001', line);

        // Nothing a line reader might split on is left raw (some split on U+2028 and U+2029 as well as CR and LF).
        Assert.DoesNotContain('\u2028', line);
        Assert.DoesNotContain('\u2029', line);
        Assert.DoesNotContain('\r', line);

        using var doc = JsonDocument.Parse(line);
        Assert.Equal(1, doc.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(Text, doc.RootElement.GetProperty("result").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Concurrent_sends_and_a_message_past_the_kept_buffer_each_stay_one_whole_line()
    {
        var large = new string('x', 3 << 20);
        var output = new MemoryStream();
        await using (var transport = new CompactStreamServerTransport(OpenInput(), output, "test", null))
        {
            await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => transport.SendMessageAsync(Response(i, i == 7 ? large : $"\"{i}\""), Ct), Ct)));
            await transport.SendMessageAsync(Response(64, "after"), Ct);
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(65, lines.Length);
        var texts = lines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("id").GetInt32(), e => e.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal(Enumerable.Range(0, 65), texts.Keys.Order());
        Assert.Equal(large, texts[7]);
        Assert.Equal("\"63\"", texts[63]);
        Assert.Equal("after", texts[64]);
    }

    [Fact]
    public async Task A_failed_write_is_an_io_exception_and_a_closed_transport_writes_nothing()
    {
        await using (var broken = new CompactStreamServerTransport(OpenInput(), new ReadOnlyStream(), "test", null))
        {
            var error = await Assert.ThrowsAsync<IOException>(() => broken.SendMessageAsync(Response(1, "x"), Ct));
            Assert.IsType<NotSupportedException>(error.InnerException);
        }

        var output = new MemoryStream();
        var transport = new CompactStreamServerTransport(OpenInput(), output, "test", null);
        await transport.DisposeAsync();
        await transport.SendMessageAsync(Response(2, "x"), Ct);
        Assert.Throws<ObjectDisposedException>(() => output.Length);
    }

    [Fact]
    public async Task After_the_input_ends_answers_are_still_written_and_a_request_to_the_client_fails_at_once()
    {
        var output = new MemoryStream();
        await using (var transport = new CompactStreamServerTransport(new MemoryStream(), output, "test", null))
        {
            // An empty input ends at once; the base then marks the transport disconnected and completes its reader.
            await transport.MessageReader.Completion.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.False(transport.IsConnected);

            await transport.SendMessageAsync(Response(1, "answered after the input ended"), Ct);
            await transport.SendMessageAsync(new JsonRpcNotification { Method = NotificationMethods.ProgressNotification }, Ct);
            var request = new JsonRpcRequest { Id = new RequestId(9), Method = RequestMethods.ElicitationCreate };
            await Assert.ThrowsAsync<ClientInputEndedException>(() => transport.SendMessageAsync(request, Ct));
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("answered after the input ended", JsonDocument.Parse(lines[0]).RootElement.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal(NotificationMethods.ProgressNotification, JsonDocument.Parse(lines[1]).RootElement.GetProperty("method").GetString());
        Assert.DoesNotContain(lines, l => l.Contains(RequestMethods.ElicitationCreate, StringComparison.Ordinal));
    }

    /// <summary>An input with nothing to read that stays open.</summary>
    private static Stream OpenInput() => new Pipe().Reader.AsStream();

    private static JsonRpcResponse Response(int id, string text) => new()
    {
        Id = new RequestId(id),
        Result = new JsonObject { ["text"] = text },
    };

    /// <summary>A stream that refuses every write, as a closed pipe does.</summary>
    private sealed class ReadOnlyStream : MemoryStream
    {
        public override bool CanWrite => false;

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("read only");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => throw new NotSupportedException("read only");
    }
}
