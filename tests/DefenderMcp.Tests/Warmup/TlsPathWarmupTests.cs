using DefenderMcp.Hosting.Warmup;

namespace DefenderMcp.Tests.Warmup;

public sealed class TlsPathWarmupTests
{
    [Fact]
    public async Task The_in_memory_pair_carries_bytes_both_ways_and_a_closed_end_reads_as_the_end_of_the_stream()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, server) = InMemoryDuplexStream.CreatePair();
        await using (client)
        await using (server)
        {
            await client.WriteAsync("ping"u8.ToArray(), ct);
            await client.FlushAsync(ct);
            var buffer = new byte[16];
            var n = await server.ReadAsync(buffer, ct);
            Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer, 0, n));

            await server.WriteAsync("pong"u8.ToArray(), ct);
            await server.FlushAsync(ct);
            n = await client.ReadAsync(buffer, ct);
            Assert.Equal("pong", System.Text.Encoding.ASCII.GetString(buffer, 0, n));

            await server.DisposeAsync();
            Assert.Equal(0, await client.ReadAsync(buffer, ct));
        }
    }

    [Fact]
    public async Task The_HTTPS_exchange_completes_over_the_in_memory_connection_alone()
    {
        // Throws unless the handshake against the throwaway certificate and the canned 200 both went through; the
        // handler's only connection came from the in-memory pair (the reserved name resolves nowhere).
        var connections = await TlsPathWarmup.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, connections);
    }

    [Fact]
    public async Task The_HTTPS_exchange_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TlsPathWarmup.RunAsync(cancelled.Token));
    }
}
