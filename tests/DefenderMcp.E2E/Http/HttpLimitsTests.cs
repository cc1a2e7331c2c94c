using System.Net;
using DefenderMcp.Hosting.Http;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>Per-caller rate limit and session cap, on a server started with small limits.</summary>
public sealed class HttpLimitsTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpServerHost Server { get; set; } = null!;

    public async ValueTask InitializeAsync() => Server = await fixture.SharedServerAsync(fixture.Environment(
        ("DEFENDER_MCP_HTTP_RATE_LIMIT", "8"),
        ("DEFENDER_MCP_HTTP_RATE_WINDOW_SECONDS", "60"),
        ("DEFENDER_MCP_HTTP_MAX_SESSIONS_PER_CALLER", "2")));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_burst_over_the_callers_limit_gets_429_with_retry_after_and_other_callers_are_unaffected()
    {
        var statuses = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 12; i++)
            {
                statuses.Add(await PostAsync(Server.McpUrl, fixture.Keys["burst"], Ct, """{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => r.Headers.Add("Mcp-Session-Id", "no-such-session")));
            }

            using var other = await PostAsync(Server.McpUrl, fixture.Keys["bob"], Ct, """{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => r.Headers.Add("Mcp-Session-Id", "no-such-session"));

            Assert.All(statuses.Take(8), r => Assert.NotEqual(HttpStatusCode.TooManyRequests, r.StatusCode));
            var limited = statuses.Skip(8).ToList();
            Assert.All(limited, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
            var retryAfter = limited[0].Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
        }
        finally
        {
            statuses.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task A_caller_past_its_session_cap_is_refused_until_it_closes_one()
    {
        var key = fixture.Keys["sessions"];
        using var first = await PostAsync(Server.McpUrl, key, Ct);
        using var second = await PostAsync(Server.McpUrl, key, Ct);
        using var third = await PostAsync(Server.McpUrl, key, Ct);
        using var otherCaller = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.False(third.Headers.Contains("Mcp-Session-Id"));

        // A client that exits without DELETE (the inspector CLI, the TypeScript SDK's close()) never kept the id the
        // advice to DELETE needs: the 429 says when the next idle session expires (default idle timeout 1800 s).
        var retryAfter = third.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1700, 1806);
        Assert.Contains("the next idle one expires in about", await third.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherCaller.StatusCode);

        var session = first.Headers.GetValues("Mcp-Session-Id").Single();
        using var closed = await PostAsync(Server.McpUrl, key, Ct, "", r =>
        {
            r.Method = HttpMethod.Delete;
            r.Content = null;
            r.Headers.Add("Mcp-Session-Id", session);
        });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        HttpStatusCode again = 0;
        for (var i = 0; i < 40 && again != HttpStatusCode.OK; i++)
        {
            await Task.Delay(100, Ct);
            using var retry = await PostAsync(Server.McpUrl, key, Ct);
            again = retry.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, again);
    }

    [Fact]
    public async Task An_empty_session_header_opens_a_session_that_counts_against_the_cap()
    {
        var key = await fixture.AddKeyAsync("empty-" + Guid.NewGuid().ToString("N")[..8], Ct);
        var status = HttpStatusCode.Unauthorized;
        for (var i = 0; i < 50 && status == HttpStatusCode.Unauthorized; i++)
        {
            // The keys file is re-read within seconds; a request for no session costs no slot.
            using var probe = await PostAsync(Server.McpUrl, key, Ct, """{"jsonrpc":"2.0","id":1,"method":"ping"}""", r => r.Headers.Add("Mcp-Session-Id", "no-such-session"));
            status = probe.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                await Task.Delay(200, Ct);
            }
        }

        Assert.NotEqual(HttpStatusCode.Unauthorized, status);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var opened = await PostAsync(Server.McpUrl, key, Ct, configure: r => r.Headers.TryAddWithoutValidation("Mcp-Session-Id", string.Empty));
            answers.Add(opened.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task A_refused_initialize_leaves_no_session_that_counts_or_serves()
    {
        var key = fixture.Keys["failed-init"];
        var refusedSessions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // The cap is 2: a third refused initialize would get 429 if the first two still held their slots.
            using var refused = await PostAsync(Server.McpUrl, key, Ct,
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"garbage","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("-32022", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            refusedSessions.AddRange(refused.Headers.TryGetValues("Mcp-Session-Id", out var ids) ? ids : []);
            await Task.Delay(300, Ct);
        }

        using var served = await PostAsync(Server.McpUrl, key, Ct, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_alerts","arguments":{"limit":1}}}""",
            r => r.Headers.Add("Mcp-Session-Id", refusedSessions[^1]));
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        Assert.Contains(SessionErrorText.UnknownSession, await served.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // No protocolVersion: the caller's mistake, named, not a 500 "Internal error".
        using var versionless = await PostAsync(Server.McpUrl, key, Ct,
            """{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, versionless.StatusCode);
        var text = await versionless.Content.ReadAsStringAsync(Ct);
        Assert.Contains("-32602", text, StringComparison.Ordinal);
        Assert.Contains("protocolVersion", text, StringComparison.Ordinal);
        Assert.Contains("\"id\":3", text, StringComparison.Ordinal);

        using var opened = await PostAsync(Server.McpUrl, key, Ct);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.DoesNotContain(Server.Stderr, l => l.Contains("HTTP request failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task At_the_cap_a_sessionless_request_that_is_not_an_initialize_is_told_to_initialize_not_to_close_a_session()
    {
        var key = fixture.Keys["capped-probe"];
        using var first = await PostAsync(Server.McpUrl, key, Ct);
        using var second = await PostAsync(Server.McpUrl, key, Ct);
        using var third = await PostAsync(Server.McpUrl, key, Ct);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], new[] { first.StatusCode, second.StatusCode, third.StatusCode });

        using var listed = await PostAsync(Server.McpUrl, key, Ct, """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""");
        Assert.Equal(HttpStatusCode.BadRequest, listed.StatusCode);
        Assert.Contains(SessionErrorText.NoSession, await listed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // An initialize hidden behind a duplicated member name still counts as one.
        using var disguised = await PostAsync(Server.McpUrl, key, Ct,
            """{"jsonrpc":"2.0","id":8,"method":"ping","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, disguised.StatusCode);
    }
}
