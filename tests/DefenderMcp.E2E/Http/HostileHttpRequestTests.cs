using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DefenderMcp.Hosting.Http;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// Hostile or malformed HTTP requests to <c>/mcp</c> with a plain HttpClient: each gets a clear 4xx (with the JSON-RPC
/// error body where the server writes one) or, where the SDK's answer is harmless and the spec's, that answer; never a 500, a stack trace, a .NET type name or the caller's key, and the
/// server still answers a normal call afterwards. One server process for the class, with a 64 KiB body cap.
/// </summary>
public sealed class HostileHttpRequestTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>, IAsyncLifetime
{
    private const int BodyCap = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpServerHost Server { get; set; } = null!;

    private string Key => fixture.Keys["alice"];

    public async ValueTask InitializeAsync() => Server = await fixture.SharedServerAsync(fixture.Environment(
        ("DEFENDER_MCP_HTTP_MAX_BODY_BYTES", BodyCap.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":")]
    [InlineData("")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]""")]
    public async Task A_body_that_is_not_one_json_rpc_message_gets_400_with_a_json_rpc_error(string body)
    {
        using var opening = await PostAsync(Server.McpUrl, Key, Ct, body);
        var session = await OpenSessionAsync();
        using var inSession = await PostAsync(Server.McpUrl, Key, Ct, body, r => r.Headers.Add("Mcp-Session-Id", session));

        foreach (var response in new[] { opening, inSession })
        {
            var error = await AssertJsonRpcErrorAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal(SessionErrorText.InvalidMessage, error.GetProperty("message").GetString());
        }

        await AssertStillServesAsync(session);
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_gets_413_with_a_json_rpc_error()
    {
        // The existing 413 test announces its length; a chunked body is only found too large while the SDK reads it.
        var session = await OpenSessionAsync();
        var huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + new string('x', BodyCap * 2) + "\"}}";

        using var response = await PostAsync(Server.McpUrl, Key, Ct, configure: r =>
        {
            r.Headers.Add("Mcp-Session-Id", session);
            r.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            r.Headers.TransferEncodingChunked = true;
        });

        await AssertJsonRpcErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertStillServesAsync(session);
    }

    [Fact]
    public async Task A_wrong_content_type_gets_415_with_a_json_rpc_error_naming_application_json()
    {
        // The SDK's endpoint accepts only application/json, so routing answers 415 before it runs, with no body: the
        // server gives it the JSON-RPC error body every other HTTP error has.
        var session = await OpenSessionAsync();

        using var response = await PostAsync(Server.McpUrl, Key, Ct, configure: r =>
        {
            r.Headers.Add("Mcp-Session-Id", session);
            r.Content = new StringContent("""{"jsonrpc":"2.0","id":4,"method":"ping"}""", Encoding.UTF8, "text/plain");
        });

        var error = await AssertJsonRpcErrorAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(-32600, error.GetProperty("code").GetInt32());
        Assert.Contains("application/json", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertStillServesAsync(session);
    }

    [Theory]
    [InlineData("""{"protocolVersion":"2025-06-18","clientInfo":{"name":"t","version":"1"}}""", "capabilities")]
    [InlineData("""{"protocolVersion":"2025-06-18","capabilities":[],"clientInfo":{"name":"t","version":"1"}}""", "capabilities")]
    [InlineData("""{"protocolVersion":"2025-06-18","capabilities":{}}""", "clientInfo")]
    [InlineData("""{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{}}""", "clientInfo.name")]
    [InlineData("""{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t"}}""", "clientInfo.version")]
    public async Task An_initialize_without_capabilities_or_client_info_gets_400_naming_the_field(string parameters, string field)
    {
        // The SDK's reader threw on these: a bare HTTP 500 "Internal error" for the caller's own mistake.
        using var response = await PostAsync(Server.McpUrl, Key, Ct, $$"""{"jsonrpc":"2.0","id":12,"method":"initialize","params":{{parameters}}}""");

        var error = await AssertJsonRpcErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains($"'{field}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        Assert.DoesNotContain(Server.Stderr, l => l.Contains("HTTP request failed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/event-stream")]
    [InlineData("text/html")]
    public async Task An_accept_header_without_both_json_and_event_stream_gets_406(string accept)
    {
        // The spec has the client list both; the SDK answers 406 with a JSON-RPC error otherwise.
        using var response = await PostAsync(Server.McpUrl, Key, Ct, configure: r =>
        {
            r.Headers.Accept.Clear();
            r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        });

        await AssertJsonRpcErrorAsync(response, HttpStatusCode.NotAcceptable);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        await AssertStillServesAsync(await OpenSessionAsync());
    }

    [Theory]
    [InlineData("1999-01-01")]
    [InlineData("not-a-version")]
    public async Task An_unsupported_protocol_version_header_on_a_session_request_gets_400(string version)
    {
        // Streamable HTTP: a request with an invalid or unsupported MCP-Protocol-Version MUST get 400 Bad Request.
        var session = await OpenSessionAsync();

        using var response = await PostAsync(Server.McpUrl, Key, Ct, """{"jsonrpc":"2.0","id":5,"method":"ping"}""", r =>
        {
            r.Headers.Add("Mcp-Session-Id", session);
            r.Headers.TryAddWithoutValidation("MCP-Protocol-Version", version);
        });

        await AssertJsonRpcErrorAsync(response, HttpStatusCode.BadRequest);
        await AssertStillServesAsync(session);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":6,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":6,"method":"tools/list"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":6,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":6,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}""", "tools/list")]
    public async Task A_sessionless_request_naming_the_2026_07_28_revision_gets_400_without_the_sdks_server_advice(string body, string? mcpMethod = null)
    {
        // That revision has no sessions, which this stateful server needs. The SDK first checks the request's _meta and
        // Mcp-Method header (its own clean 400s); a complete one got a text for the server's developer naming the option
        // to set and its .NET types, now one for the caller, with the SDK's list of supported versions kept in data.
        using var response = await PostAsync(Server.McpUrl, Key, Ct, body, r =>
        {
            r.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2026-07-28");
            if (mcpMethod is not null)
            {
                r.Headers.TryAddWithoutValidation("Mcp-Method", mcpMethod);
            }
        });

        var error = await AssertJsonRpcErrorAsync(response, HttpStatusCode.BadRequest);
        if (mcpMethod is not null)
        {
            Assert.Equal(SessionErrorText.SessionlessRevision, error.GetProperty("message").GetString());
            Assert.Contains("2025-06-18", error.GetProperty("data").GetProperty("supported").EnumerateArray().Select(v => v.GetString()));
        }

        await AssertStillServesAsync(await OpenSessionAsync());
    }

    [Fact]
    public async Task A_huge_header_or_a_100000_character_key_gets_431_from_kestrel_without_echoing_it()
    {
        // Kestrel refuses headers over its 32 KiB total before any middleware runs: its 431 has an empty body.
        var longKey = "dmcp_" + new string('K', 100_000);
        using var huge = await PostAsync(Server.McpUrl, Key, Ct, configure: r => r.Headers.TryAddWithoutValidation("X-Pad", new string('p', 100_000)));
        using var longBearer = await PostAsync(Server.McpUrl, longKey, Ct);

        foreach (var response in new[] { huge, longBearer })
        {
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
            await AssertCleanBodyAsync(response, longKey);
        }

        await AssertStillServesAsync(await OpenSessionAsync());
    }

    [Theory]
    [InlineData("Bearer ")]
    [InlineData("Bearer")]
    [InlineData("Bearer \u0001dmcp_x")]
    [InlineData("Bearer dmcp_\u007f")]
    [InlineData("Bearer  dmcp_two_spaces")]
    public async Task A_malformed_authorization_header_gets_401_or_400_and_no_session(string authorization)
    {
        using var response = await PostAsync(Server.McpUrl, null, Ct, configure: r => r.Headers.TryAddWithoutValidation("Authorization", authorization));

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}");
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        await AssertCleanBodyAsync(response, authorization);
        await AssertStillServesAsync(await OpenSessionAsync());
    }

    [Fact]
    public async Task An_id_that_is_an_object_gets_400_invalid_request()
    {
        // JSON-RPC 2.0: an id is a string, a number or null; an object is an invalid request.
        var session = await OpenSessionAsync();

        using var response = await PostAsync(Server.McpUrl, Key, Ct, """{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}""", r => r.Headers.Add("Mcp-Session-Id", session));

        await AssertJsonRpcErrorAsync(response, HttpStatusCode.BadRequest);
        await AssertStillServesAsync(session);
    }

    [Fact]
    public async Task An_id_of_10000_characters_is_a_valid_id_and_is_answered_with_that_id()
    {
        // A string id of any length is valid JSON-RPC; the body cap bounds it, so the SDK answers it like any other.
        var session = await OpenSessionAsync();
        var id = new string('i', 10_000);

        using var response = await PostAsync(Server.McpUrl, Key, Ct, $$"""{"jsonrpc":"2.0","id":"{{id}}","method":"ping"}""", r => r.Headers.Add("Mcp-Session-Id", session));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(id, ResultMessage(text).GetProperty("id").GetString());
        await AssertCleanBodyAsync(response);
        await AssertStillServesAsync(session);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"ping"}""")]
    [InlineData("""{"id":1}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"code":"x"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1.5e308,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":true,"method":"ping"}""")]
    public async Task A_json_object_that_is_no_json_rpc_message_in_a_session_gets_400_with_the_fixed_text(string body)
    {
        var session = await OpenSessionAsync();

        using var response = await PostAsync(Server.McpUrl, Key, Ct, body, r => r.Headers.Add("Mcp-Session-Id", session));

        var error = await AssertJsonRpcErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(SessionErrorText.InvalidMessage, error.GetProperty("message").GetString());
        await AssertStillServesAsync(session);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{}}""", HttpStatusCode.Accepted)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping","params":[1,2]}""", HttpStatusCode.OK)]
    public async Task A_response_to_no_request_or_a_ping_with_array_params_is_the_sdks_accepted_answer(string body, HttpStatusCode expected)
    {
        // The SDK accepts a client's response POST with 202 (as the spec has it) even for an id it never sent, and a
        // ping ignores its params; both are harmless, so this pins them.
        var session = await OpenSessionAsync();

        using var response = await PostAsync(Server.McpUrl, Key, Ct, body, r => r.Headers.Add("Mcp-Session-Id", session));

        Assert.Equal(expected, response.StatusCode);
        await AssertCleanBodyAsync(response);
        await AssertStillServesAsync(session);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    public async Task Another_method_on_the_endpoint_gets_405_with_an_empty_body(string method)
    {
        // Routing answers a method the endpoint does not map (GET, POST and DELETE are) before the SDK runs.
        using var response = await PostAsync(Server.McpUrl, Key, Ct, configure: r => r.Method = new HttpMethod(method));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync(Ct));
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
        await AssertStillServesAsync(await OpenSessionAsync());
    }

    [Fact]
    public async Task A_notification_of_an_unknown_method_is_accepted_with_202_and_no_body()
    {
        // A notification gets no answer in JSON-RPC, whatever its method; Streamable HTTP answers 202 Accepted.
        var session = await OpenSessionAsync();

        using var response = await PostAsync(Server.McpUrl, Key, Ct, """{"jsonrpc":"2.0","method":"notifications/no_such_thing","params":{"x":1}}""", r => r.Headers.Add("Mcp-Session-Id", session));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync(Ct));
        await AssertStillServesAsync(session);
    }

    private async Task<string> OpenSessionAsync()
    {
        using var init = await PostAsync(Server.McpUrl, Key, Ct);
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        var session = init.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await PostAsync(Server.McpUrl, Key, Ct, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", r => r.Headers.Add("Mcp-Session-Id", session));
        Assert.Equal(HttpStatusCode.Accepted, initialized.StatusCode);
        return session;
    }

    // The same session still answers a ping, and a new SDK client still lists tools.
    private async Task AssertStillServesAsync(string session)
    {
        using var ping = await PostAsync(Server.McpUrl, Key, Ct, """{"jsonrpc":"2.0","id":99,"method":"ping"}""", r => r.Headers.Add("Mcp-Session-Id", session));
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(99, ResultMessage(await ping.Content.ReadAsStringAsync(Ct)).GetProperty("id").GetInt32());
        await using var client = await ConnectAsync(Server.McpUrl, Key, Ct);
        Assert.NotEmpty(await client.ListToolsAsync(cancellationToken: Ct));
        (await PostAsync(Server.McpUrl, Key, Ct, "", r => { r.Method = HttpMethod.Delete; r.Content = null; r.Headers.Add("Mcp-Session-Id", session); })).Dispose();
    }

    private async Task<JsonElement> AssertJsonRpcErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("2.0", body.RootElement.GetProperty("jsonrpc").GetString());
        Assert.True(body.RootElement.TryGetProperty("id", out _), "no id member: " + text);
        var error = body.RootElement.GetProperty("error");
        Assert.InRange(error.GetProperty("code").GetInt32(), -32768, -32000);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        await AssertCleanBodyAsync(response);
        return error.Clone();
    }

    // No stack trace, exception or .NET type name, and none of the secrets the request carried.
    private async Task AssertCleanBodyAsync(HttpResponseMessage response, params string[] secrets)
    {
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
        var text = await response.Content.ReadAsStringAsync(Ct);
        string[] leaks = ["Exception", " at ", "System.", "Microsoft.", "ModelContextProtocol.", "DefenderMcp.", "HttpServer", "SessionMode", Key, .. secrets.Where(s => s.Length > 8)];
        foreach (var leak in leaks)
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Server.Stderr, l => l.Contains(Key, StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
    }

    // The JSON-RPC message of a response that is either plain JSON or one SSE event.
    private static JsonElement ResultMessage(string text)
    {
        var json = text.TrimStart().StartsWith('{')
            ? text
            : string.Concat(text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..].Trim()));
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
