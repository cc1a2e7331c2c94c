using System.Net;
using System.Net.Http.Headers;
using System.Text;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// The server-wide connection cap (<c>DEFENDER_MCP_HTTP_MAX_CONNECTIONS</c>): with a cap of 2, two kept-alive
/// connections are served, a third is closed unanswered, and new connections are served again once those two close.
/// A bad value stops the start with the variable named (exit 2).
/// </summary>
public sealed class HttpConnectionCapTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_connection_past_the_cap_is_closed_while_the_held_ones_are_served_and_new_ones_are_served_after_they_close()
    {
        var server = await fixture.SharedServerAsync(fixture.Environment(("DEFENDER_MCP_HTTP_MAX_CONNECTIONS", "2")));
        var key = fixture.Keys["alice"];
        var first = OneConnectionClient();
        var second = OneConnectionClient();
        try
        {
            // Each client keeps its one connection open (keep-alive) after its session opens.
            var firstSession = await InitializeAsync(first, server.McpUrl, key);
            await InitializeAsync(second, server.McpUrl, key);

            using (var third = OneConnectionClient())
            {
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => InitializeAsync(third, server.McpUrl, key));
            }

            using var ping = await SendAsync(first, server.McpUrl, key, """{"jsonrpc":"2.0","id":2,"method":"ping"}""", firstSession);
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }

        // Closed connections free their slots; Kestrel learns of the close asynchronously, so retry for a while.
        string? session = null;
        for (var i = 0; i < 50 && session is null; i++)
        {
            using var fresh = OneConnectionClient();
            try
            {
                session = await InitializeAsync(fresh, server.McpUrl, key);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, Ct);
            }
        }

        Assert.NotNull(session);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("many")]
    [InlineData("100001")]
    public async Task A_bad_connection_cap_stops_the_start_naming_the_variable(string value)
    {
        var env = fixture.Environment(("DEFENDER_MCP_HTTP_MAX_CONNECTIONS", value));

        var (code, stderr) = await HttpServerHost.RunToExitAsync(env, Ct, "serve", "--transport", "http", "--urls", "http://127.0.0.1:0");

        Assert.True(code == 2, stderr);
        Assert.Contains("DEFENDER_MCP_HTTP_MAX_CONNECTIONS: expected a whole number from 1 to 100000", stderr, StringComparison.Ordinal);
    }

    private static HttpClient OneConnectionClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static async Task<string> InitializeAsync(HttpClient http, Uri url, string key)
    {
        using var response = await SendAsync(http, url, key, InitializeBody, session: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Mcp-Session-Id").Single();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, Uri url, string key, string body, string? session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
            request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }
}
