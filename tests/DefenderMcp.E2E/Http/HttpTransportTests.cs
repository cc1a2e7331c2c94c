using System.Net;
using System.Text.Json;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Hosting.Http;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// The C# SDK's HTTP client against the built server over Streamable HTTP, with API keys made by <c>keys add</c>, and
/// raw requests for the HTTP-level answers (401, 403, 413). One server process for the class.
/// </summary>
public sealed class HttpTransportTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpServerHost Server { get; set; } = null!;

    public async ValueTask InitializeAsync() => Server = await fixture.SharedServerAsync(fixture.Environment());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Sdk_client_lists_and_calls_tools_and_the_audit_line_names_the_caller_never_the_key()
    {
        await using var client = await ConnectAsync(Server.McpUrl, fixture.Keys["alice"], Ct);

        var tools = await client.ListToolsAsync(cancellationToken: Ct);
        var result = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["limit"] = 3 }, cancellationToken: Ct);

        Assert.Contains(tools, t => t.Name == "isolate_device");
        Assert.Contains(tools, t => t.Name == "query_advanced_hunting");
        Assert.True(Structured(result).GetProperty("alerts").GetArrayLength() > 0);
        var audit = Server.AuditLines().Last(l => l.TryGetProperty("tool", out var t) && t.GetString() == "list_alerts");
        Assert.Equal("alice", audit.GetProperty("caller").GetProperty("name").GetString());
        Assert.Equal("api_key", audit.GetProperty("caller").GetProperty("kind").GetString());
        Assert.DoesNotContain(Server.Stderr, l => l.Contains(fixture.Keys["alice"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Elicitation_over_http_accept_acts_once_and_decline_sends_nothing()
    {
        var messages = new List<string>();
        await using var accepting = await ConnectAsync(Server.McpUrl, fixture.Keys["alice"], Ct, Eliciting("accept", messages));
        await using var declining = await ConnectAsync(Server.McpUrl, fixture.Keys["alice"], Ct, Eliciting("decline"));
        var device = await DeviceAsync(accepting, "ctso-eng-ws");
        var before = await PostsAsync("/runAntiVirusScan");

        var accepted = await accepting.CallToolAsync("run_antivirus_scan", new Dictionary<string, object?> { ["device"] = device, ["comment"] = "e2e http accept" }, cancellationToken: Ct);
        var declined = await declining.CallToolAsync("run_antivirus_scan", new Dictionary<string, object?> { ["device"] = device, ["comment"] = "e2e http decline" }, cancellationToken: Ct);

        Assert.Equal("Pending", Structured(accepted).GetProperty("status").GetString());
        Assert.Equal("cancelled_by_user", ErrorCode(declined));
        Assert.Equal(before + 1, await PostsAsync("/runAntiVirusScan"));
        // The question reached the calling session only: the accepting client saw exactly its own call.
        var message = Assert.Single(messages);
        Assert.Contains("e2e http accept", message, StringComparison.Ordinal);
        var lines = Server.AuditLines().Where(l => l.GetProperty("event").GetString() == "tool_call" && l.TryGetProperty("tool", out var t) && t.GetString() == "run_antivirus_scan").TakeLast(2).ToList();
        Assert.Equal(["elicitation_accepted", "elicitation_declined"], lines.Select(l => l.GetProperty("confirmation").GetString()));
    }

    [Fact]
    public async Task A_write_names_its_caller_in_the_comment_Defender_keeps_and_a_comment_without_room_for_that_is_refused_unsent()
    {
        // Every request reaches Defender as the server's app: the comment is where the portal shows who asked.
        const string Suffix = " (requested by alice via DefenderMcp)";
        var messages = new List<string>();
        await using var client = await ConnectAsync(Server.McpUrl, fixture.Keys["alice"], Ct, Eliciting("accept", messages));
        var device = await DeviceAsync(client, "ctso-sales-lt");

        var scan = Structured(await client.CallToolAsync("run_antivirus_scan", new Dictionary<string, object?> { ["device"] = device, ["comment"] = "e2e who asked" }, cancellationToken: Ct));
        var kept = Structured(await client.CallToolAsync("get_machine_action", new Dictionary<string, object?> { ["action_id"] = scan.GetProperty("action_id").GetString() }, cancellationToken: Ct));
        var requests = (await fixture.Control.GetRequestsAsync(Ct)).Count;
        var tooLong = await client.CallToolAsync("run_antivirus_scan", new Dictionary<string, object?> { ["device"] = device, ["comment"] = new string('x', 1000 - Suffix.Length + 1) }, cancellationToken: Ct);
        var requestsAfter = (await fixture.Control.GetRequestsAsync(Ct)).Count;
        var fits = Structured(await client.CallToolAsync("run_antivirus_scan", new Dictionary<string, object?> { ["device"] = device, ["comment"] = new string('y', 1000 - Suffix.Length), ["dry_run"] = true }, cancellationToken: Ct));

        Assert.Equal("e2e who asked" + Suffix, scan.GetProperty("comment").GetString());
        Assert.Equal("e2e who asked" + Suffix, kept.GetProperty("action").GetProperty("requestor_comment").GetString());
        Assert.Contains("e2e who asked" + Suffix, Assert.Single(messages), StringComparison.Ordinal);
        Assert.Equal("invalid_input", ErrorCode(tooLong));
        Assert.Contains($"shorten it to {1000 - Suffix.Length} characters or fewer. Nothing was sent.", Assert.IsType<TextContentBlock>(Assert.Single(tooLong.Content)).Text, StringComparison.Ordinal);
        Assert.Equal(requests, requestsAfter);
        Assert.Equal(1000, fits.GetProperty("request").GetProperty("body").GetProperty("Comment").GetString()!.Length);
        Assert.Single(messages);

        // An indicator's description is where Defender's indicator page says why: it names the caller too.
        var indicator = Structured(await client.CallToolAsync("add_indicator", new Dictionary<string, object?> { ["indicator_type"] = "DomainName", ["value"] = "who-asked.example", ["action"] = "Audit", ["title"] = "e2e", ["description"] = "Seen in phishing", ["dry_run"] = true }, cancellationToken: Ct));
        Dictionary<string, object?> Item(string description) => new() { ["indicator_type"] = "DomainName", ["value"] = "who-asked.example", ["action"] = "Audit", ["title"] = "e2e", ["description"] = description };
        var import = await client.CallToolAsync("import_indicators", new Dictionary<string, object?> { ["indicators"] = new[] { Item("fine"), Item(new string('d', 1000 - Suffix.Length + 1)) }, ["dry_run"] = true }, cancellationToken: Ct);
        Assert.Equal("Seen in phishing" + Suffix, indicator.GetProperty("request").GetProperty("body").GetProperty("description").GetString());
        Assert.Equal("invalid_input", ErrorCode(import));
        Assert.Contains($"'indicators[1].description' is {1000 - Suffix.Length + 1} characters", Assert.IsType<TextContentBlock>(Assert.Single(import.Content)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_notifications_reach_the_http_client()
    {
        await using var client = await ConnectAsync(Server.McpUrl, fixture.Keys["alice"], Ct, Eliciting("accept"));
        var device = await DeviceAsync(client, "ctso-hr-lt");
        var action = Structured(await client.CallToolAsync("run_antivirus_scan", new Dictionary<string, object?> { ["device"] = device, ["comment"] = "progress" }, cancellationToken: Ct));
        var id = action.GetProperty("action_id").GetString();
        var progress = new List<ProgressNotificationValue>();

        var result = await client.CallToolAsync("get_machine_action", new Dictionary<string, object?> { ["action_id"] = id, ["wait_seconds"] = 30 }, new SyncProgress(progress), cancellationToken: Ct);

        Assert.True(Structured(result).GetProperty("final").GetBoolean());
        lock (progress)
        {
            Assert.True(progress.Count >= 2, $"{progress.Count} progress notifications");
            Assert.Contains(progress, p => p.Message!.Contains("RunAntiVirusScan", StringComparison.Ordinal));
        }
    }

    // The C# SDK 2.4.0 client only drops the POST when its token is cancelled (no notifications/cancelled reached the
    // server in our runs), and a dropped connection is not a cancellation in MCP; so this test speaks the protocol itself.
    // The TypeScript SDK client's AbortSignal is covered in NodeHttpClientTests.
    [Fact]
    public async Task A_result_over_http_carries_its_quotes_as_json_escapes_and_reads_as_the_same_json()
    {
        var key = fixture.Keys["alice"];
        var inSession = await OpenRawSessionAsync(Server.McpUrl, key, Ct);

        using var call = await PostAsync(Server.McpUrl, key, Ct, """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"list_alerts","arguments":{"limit":5}}}""", inSession);
        var raw = await call.Content.ReadAsStringAsync(Ct);
        await CloseRawSessionAsync(Server.McpUrl, key, inSession, Ct);

        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("text/event-stream", call.Content.Headers.ContentType?.MediaType);
        var data = raw.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..].Trim()).Where(l => l.Length > 0).ToList();
        using var message = JsonDocument.Parse(data.Single(d => d.Contains("\"id\":5", StringComparison.Ordinal)));
        var result = message.RootElement.GetProperty("result");
        var text = result.GetProperty("content")[0].GetProperty("text").GetString()!;
        // The text block is JSON with quotes written as \" (the SDK's writer alone sends \u0022), and it is the same
        // JSON as the structured content.
        Assert.DoesNotContain("\\u0022", raw, StringComparison.Ordinal);
        Assert.Contains("\\\"alerts\\\":", raw, StringComparison.Ordinal);
        using var textJson = JsonDocument.Parse(text);
        Assert.True(JsonElement.DeepEquals(result.GetProperty("structuredContent"), textJson.RootElement));
        Assert.True(result.GetProperty("structuredContent").GetProperty("alerts").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_cancelled_notification_over_http_stops_a_slow_call_and_the_audit_says_cancelled()
    {
        var key = fixture.Keys["alice"];
        var inSession = await OpenRawSessionAsync(Server.McpUrl, key, Ct);
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 20_000, Count = 1, PathPattern = "incidents/4301" }, Ct);
        try
        {
            var started = DateTime.UtcNow;
            var call = PostAsync(Server.McpUrl, key, Ct, """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"get_incident","arguments":{"incident_id":"4301"}}}""", inSession);
            await Task.Delay(1500, Ct);

            using var cancel = await PostAsync(Server.McpUrl, key, Ct, """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"e2e"}}""", inSession);

            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            var deadline = DateTime.UtcNow.AddSeconds(12);
            while (DateTime.UtcNow < deadline && !Server.AuditLines().Any(Cancelled))
            {
                await Task.Delay(100, Ct);
            }

            Assert.True(Server.AuditLines().Any(Cancelled), "no cancelled audit line; server stderr:\n" + string.Join('\n', Server.Stderr.TakeLast(20)));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "the call ran to its end instead of being cancelled");
            await CloseRawSessionAsync(Server.McpUrl, key, inSession, Ct);
            _ = call;
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }

        static bool Cancelled(JsonElement line) =>
            line.TryGetProperty("tool", out var t) && t.GetString() == "get_incident" && line.GetProperty("outcome").GetString() == "cancelled";
    }

    [Fact]
    public async Task Initialize_over_http_declares_no_list_changes_for_prompts_and_resources()
    {
        // The SDK declared prompts.listChanged and resources.listChanged true, though those lists never change.
        await using var client = await ConnectAsync(Server.McpUrl, fixture.Keys["alice"], Ct);

        Assert.NotNull(client.ServerCapabilities.Prompts);
        Assert.NotNull(client.ServerCapabilities.Resources);
        Assert.Null(client.ServerCapabilities.Prompts.ListChanged);
        Assert.Null(client.ServerCapabilities.Resources.ListChanged);
        Assert.NotEmpty(await client.ListPromptsAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task A_cancelled_request_over_http_ends_its_post_stream_promptly_without_a_response()
    {
        // The SDK held the cancelled POST's SSE stream open, empty, until the client gave up (~150 s).
        var key = fixture.Keys["alice"];
        var inSession = await OpenRawSessionAsync(Server.McpUrl, key, Ct);
        await fixture.Control.AddFaultAsync(new FaultSpec { DelayMs = 30_000, Count = 1, PathPattern = "runHuntingQuery" }, Ct);
        try
        {
            var call = PostAsync(Server.McpUrl, key, Ct,
                """{"jsonrpc":"2.0","id":"hunt-9","method":"tools/call","params":{"name":"query_advanced_hunting","arguments":{"query":"DeviceInfo | where DeviceName == 'cancel-e2e' | take 3"}}}""",
                inSession);
            await Task.Delay(1500, Ct);

            using var cancel = await PostAsync(Server.McpUrl, key, Ct, """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"hunt-9","reason":"e2e"}}""", inSession);

            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            using var ended = await call.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
            Assert.DoesNotContain("hunt-9", await ended.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

            // The session goes on serving.
            using var after = await PostAsync(Server.McpUrl, key, Ct, """{"jsonrpc":"2.0","id":10,"method":"ping"}""", inSession);
            Assert.Contains("\"id\":10", await after.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            await CloseRawSessionAsync(Server.McpUrl, key, inSession, Ct);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task No_credential_gets_401_with_www_authenticate_and_a_wrong_key_gets_401()
    {
        using var none = await PostAsync(Server.McpUrl, null, Ct);
        using var wrong = await PostAsync(Server.McpUrl, "dmcp_" + new string('A', 43), Ct);
        using var basic = await PostAsync(Server.McpUrl, null, Ct, configure: r => r.Headers.Authorization = new("Basic", "YWxpY2U6eA=="));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains(none.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains(wrong.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter!.Contains("invalid_token", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.False(none.Headers.Contains("Mcp-Session-Id"));
    }

    [Fact]
    public async Task Authentication_comes_before_the_endpoint_checks_the_content_type_or_method()
    {
        // curl -X POST -d '{}' sends application/x-www-form-urlencoded: routing would answer 415 before authorization.
        static void Form(HttpRequestMessage r) => r.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        static void NoType(HttpRequestMessage r) => r.Content!.Headers.ContentType = null;
        static void Put(HttpRequestMessage r) => r.Method = HttpMethod.Put;
        using var form = await PostAsync(Server.McpUrl, null, Ct, configure: Form);
        using var noType = await PostAsync(Server.McpUrl, null, Ct, configure: NoType);
        using var put = await PostAsync(Server.McpUrl, null, Ct, configure: Put);
        using var wrongKeyForm = await PostAsync(Server.McpUrl, "dmcp_" + new string('A', 43), Ct, configure: Form);
        using var rightKeyForm = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, configure: Form);

        foreach (var refused in new[] { form, noType, put })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter == "realm=\"defender-mcp\"");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, wrongKeyForm.StatusCode);
        Assert.Contains(wrongKeyForm.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter!.Contains("invalid_token", StringComparison.Ordinal));
        // A signed-in caller still learns what the endpoint accepts.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, rightKeyForm.StatusCode);
    }

    [Fact]
    public async Task A_key_added_or_removed_while_serving_takes_effect_without_a_restart()
    {
        var key = await fixture.AddKeyAsync("temp-" + Guid.NewGuid().ToString("N")[..8], Ct);
        var name = (await HttpEmulatorFixture.RunCliAsync(Ct, "keys", "list", "--file", fixture.KeysFile)).Stdout;
        Assert.DoesNotContain(key, name, StringComparison.Ordinal);

        var accepted = await EventuallyAsync(key, HttpStatusCode.OK);
        var tempName = name.Split('\n').Select(l => l.Split(' ')[0]).Last(n => n.StartsWith("temp-", StringComparison.Ordinal));
        var (code, _, err) = await HttpEmulatorFixture.RunCliAsync(Ct, "keys", "remove", tempName, "--file", fixture.KeysFile);
        Assert.True(code == 0, err);
        var refused = await EventuallyAsync(key, HttpStatusCode.Unauthorized);

        Assert.True(accepted, "a new key was not accepted within 10 s");
        Assert.True(refused, "a removed key was still accepted after 10 s");
    }

    [Fact]
    public async Task One_caller_cannot_use_another_callers_session()
    {
        using var alice = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct);
        var session = alice.Headers.GetValues("Mcp-Session-Id").Single();

        using var bob = await PostAsync(Server.McpUrl, fixture.Keys["bob"], Ct, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", r => r.Headers.Add("Mcp-Session-Id", session));
        using var listen = await PostAsync(Server.McpUrl, fixture.Keys["bob"], Ct, configure: r =>
        {
            r.Method = HttpMethod.Get;
            r.Content = null;
            r.Headers.Add("Mcp-Session-Id", session);
        });
        using var close = await PostAsync(Server.McpUrl, fixture.Keys["bob"], Ct, configure: r =>
        {
            r.Method = HttpMethod.Delete;
            r.Content = null;
            r.Headers.Add("Mcp-Session-Id", session);
        });
        using var aliceAgain = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, """{"jsonrpc":"2.0","id":3,"method":"ping"}""", r => r.Headers.Add("Mcp-Session-Id", session));

        Assert.Equal(HttpStatusCode.Forbidden, bob.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, listen.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, close.StatusCode);
        Assert.Equal(HttpStatusCode.OK, aliceAgain.StatusCode);
    }

    [Fact]
    public async Task A_closed_or_unknown_session_gets_404_telling_the_caller_to_initialize_a_new_one()
    {
        await using var client = await ConnectAsync(Server.McpUrl, fixture.Keys["alice"], Ct);
        await client.PingAsync(cancellationToken: Ct);
        var session = client.SessionId!;
        using var closed = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, configure: r =>
        {
            r.Method = HttpMethod.Delete;
            r.Content = null;
            r.Headers.Add("Mcp-Session-Id", session);
        });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        using var ended = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""", r => r.Headers.Add("Mcp-Session-Id", session));
        using var unknown = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, configure: r =>
        {
            r.Method = HttpMethod.Get;
            r.Content = null;
            r.Headers.Add("Mcp-Session-Id", "no-such-session");
        });

        // 404 and JSON-RPC code -32001 as before (clients re-initialize on 404), the request's id kept, a text for the caller.
        foreach (var (response, id) in new[] { (ended, "7"), (unknown, "null") })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("2.0", body.RootElement.GetProperty("jsonrpc").GetString());
            Assert.Equal(id, body.RootElement.GetProperty("id").GetRawText());
            var error = body.RootElement.GetProperty("error");
            Assert.Equal(-32001, error.GetProperty("code").GetInt32());
            Assert.Equal(
                "Unknown or expired MCP session: it was closed, timed out or never existed on this server. " +
                "Initialize a new session (an initialize request without the Mcp-Session-Id header) and use the id it returns.",
                error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task A_delete_ends_a_live_session_and_answers_404_for_an_unknown_or_ended_one_and_400_without_one()
    {
        await using var client = await ConnectAsync(Server.McpUrl, fixture.Keys["alice"], Ct);
        await client.PingAsync(cancellationToken: Ct);
        var session = client.SessionId!;
        Task<HttpResponseMessage> DeleteAsync(string? id) => PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, configure: r =>
        {
            r.Method = HttpMethod.Delete;
            r.Content = null;
            if (id is not null)
            {
                r.Headers.Add("Mcp-Session-Id", id);
            }
        });

        using var live = await DeleteAsync(session);
        using var after = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, """{"jsonrpc":"2.0","id":8,"method":"ping"}""", r => r.Headers.Add("Mcp-Session-Id", session));
        using var again = await DeleteAsync(session);
        using var unknown = await DeleteAsync("no-such-session");
        using var none = await DeleteAsync(null);

        // The live one ends (the SDK's 200), so the session is gone for a request that follows.
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        foreach (var (response, status, code, text) in new[]
        {
            (again, HttpStatusCode.NotFound, -32001, SessionErrorText.UnknownSession),
            (unknown, HttpStatusCode.NotFound, -32001, SessionErrorText.UnknownSession),
            (none, HttpStatusCode.BadRequest, -32000, SessionErrorText.NoSessionToEnd),
        })
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("2.0", body.RootElement.GetProperty("jsonrpc").GetString());
            Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("id").ValueKind);
            Assert.Equal(code, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(text, body.RootElement.GetProperty("error").GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task A_request_without_a_session_gets_400_saying_to_initialize_first_not_the_sdks_server_advice()
    {
        using var post = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, """{"jsonrpc":"2.0","id":5,"method":"tools/list"}""");
        using var get = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, configure: r =>
        {
            r.Method = HttpMethod.Get;
            r.Content = null;
        });

        foreach (var response in new[] { post, get })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync(Ct);
            using var body = JsonDocument.Parse(text);
            Assert.Equal(-32000, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal(
                "No MCP session: only an initialize request may be sent without the Mcp-Session-Id header. " +
                "Initialize a session first and send the Mcp-Session-Id it returns with every request.",
                body.RootElement.GetProperty("error").GetProperty("message").GetString());
            Assert.DoesNotContain("HttpServerTransportOptions", text, StringComparison.Ordinal);
        }

        using var postBody = JsonDocument.Parse(await post.Content.ReadAsStringAsync(Ct));
        Assert.Equal(5, postBody.RootElement.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task A_foreign_origin_or_host_gets_403_before_authentication()
    {
        using var origin = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, configure: r => r.Headers.Add("Origin", "https://evil.example"));
        using var host = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, configure: r => r.Headers.Host = "evil.example:" + Server.McpUrl.Port);
        using var sameOrigin = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, configure: r => r.Headers.Add("Origin", $"http://127.0.0.1:{Server.McpUrl.Port}"));
        using var anonymousForeign = await PostAsync(Server.McpUrl, null, Ct, configure: r => r.Headers.Add("Origin", "http://localhost.evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, origin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, host.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, anonymousForeign.StatusCode);
    }

    [Fact]
    public async Task The_host_and_origin_check_also_guards_the_endpoint_under_another_letter_case()
    {
        // Routing finds /mcp whatever the case: a rebound page asking for /MCP must meet the same check.
        foreach (var path in new[] { "/MCP", "/Mcp", "/mCp/" })
        {
            var url = new Uri(Server.McpUrl, path);
            using var host = await PostAsync(url, fixture.Keys["alice"], Ct, configure: r => r.Headers.Host = "evil.example:" + Server.McpUrl.Port);
            using var origin = await PostAsync(url, fixture.Keys["alice"], Ct, configure: r => r.Headers.Add("Origin", "https://evil.example"));

            Assert.Equal(HttpStatusCode.Forbidden, host.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, origin.StatusCode);
            Assert.False(host.Headers.Contains("Mcp-Session-Id"), path);
        }
    }

    [Fact]
    public async Task An_oversized_body_gets_413_without_a_stack_trace()
    {
        var huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}";

        // Expect: 100-continue, so the body waits for the server's word: the 413 comes before any of it is sent,
        // instead of racing a 2 MB upload that the server stops reading (a broken pipe on the client's side).
        using var response = await PostAsync(Server.McpUrl, fixture.Keys["alice"], Ct, huge, r => r.Headers.ExpectContinue = true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    private async Task<bool> EventuallyAsync(string key, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await PostAsync(Server.McpUrl, key, Ct);
            if (response.StatusCode == expected)
            {
                return true;
            }

            await Task.Delay(250, Ct);
        }

        return false;
    }

    private static async Task<string> DeviceAsync(ModelContextProtocol.Client.McpClient client, string prefix)
    {
        var devices = Structured(await client.CallToolAsync("list_devices", new Dictionary<string, object?> { ["name_prefix"] = prefix, ["limit"] = 1 }, cancellationToken: Ct));
        return devices.GetProperty("devices")[0].GetProperty("name").GetString()!;
    }

    private async Task<int> PostsAsync(string pathPart) =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.Contains(pathPart, StringComparison.Ordinal));
}
