using System.Net;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static DefenderMcp.E2E.Http.HttpClients;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// The built team server over HTTP while its callers file changes: a tenant taken from a caller is refused on its
/// next call, in the same session and without a restart; a write waiting on its confirmation keeps the grant it started
/// with; a broken file keeps the rules in force with a warning; and refusals (the caller's, and an unknown key's) are
/// coalesced caller_refused audit lines.
/// </summary>
public sealed class CallersFileReloadTests(HttpEmulatorFixture fixture) : IClassFixture<HttpEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tenant_taken_from_a_caller_is_refused_on_its_next_call_without_a_restart()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-callers-reload-").FullName;
        try
        {
            var env = await TeamServerEnvironment.CreateAsync(fixture, home, new Dictionary<string, string[]> { ["alice"] = ["contoso", "fabrikam"] }, Ct);
            env["MCP_DEFENDER_XDR_LOG_LEVEL"] = "Information";
            var callers = env["DEFENDER_MCP_CALLERS_FILE"];
            await using var server = await HttpServerHost.StartAsync(env, Ct);
            var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var alice = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct, Confirming(asked, answer));

            Structured(await alice.CallToolAsync("list_alerts", Tenant("contoso"), cancellationToken: Ct));
            Structured(await alice.CallToolAsync("list_alerts", Tenant("fabrikam"), cancellationToken: Ct));

            // A write on contoso waits on its confirmation while contoso is taken from alice; it goes on as it began.
            var comment = new Dictionary<string, object?> { ["tenant"] = "contoso", ["incident_id"] = "4301", ["comment"] = "e2e callers reload" };
            var write = alice.CallToolAsync("add_incident_comment", comment, cancellationToken: Ct).AsTask();
            await asked.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await WritePrivateAsync(callers, """{"callers": {"key:alice": {"tenants": ["fabrikam"], "actions": "respond"}}}""");
            var reloaded = await AuditLineAsync(server, l => Event(l) == "callers_reloaded");
            answer.SetResult();
            var written = await write;

            var refused = await alice.CallToolAsync("list_alerts", Tenant("contoso"), cancellationToken: Ct);
            var listed = await alice.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = "*", ["limit"] = 1 }, cancellationToken: Ct);

            Assert.Equal(("success", 1), (reloaded.GetProperty("outcome").GetString(), reloaded.GetProperty("counts").GetProperty("callers").GetInt32()));
            Assert.Contains(server.Stderr, l => l.Contains($"The callers file {callers} was reloaded: 1 caller rules; calls that start from now on use them.", StringComparison.Ordinal));
            Structured(written);
            Assert.Equal("policy_denied", ErrorCode(refused));
            Assert.DoesNotContain("contoso", JsonSerializer.Serialize(refused.StructuredContent), StringComparison.Ordinal);
            Assert.Equal(["fabrikam"], Structured(listed).GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
            var refusal = await AuditLineAsync(server, l => Event(l) == "caller_refused");
            Assert.Equal(("tenant_not_granted", "list_alerts", "alice", "api_key"), (refusal.GetProperty("reason").GetString(), refusal.GetProperty("tool").GetString(), refusal.GetProperty("caller").GetProperty("name").GetString(), refusal.GetProperty("caller").GetProperty("kind").GetString()));

            // A broken file: one warning, and the rules in force stay (contoso still closed, fabrikam still open).
            await WritePrivateAsync(callers, """{"callers": {"key:alice": {"tenants": ["contoso", "tailspin"], "actions": "respond"}}}""");
            await AuditLineAsync(server, l => Event(l) == "callers_reloaded" && l.GetProperty("outcome").GetString() == "error");
            Assert.Equal("policy_denied", ErrorCode(await alice.CallToolAsync("list_alerts", Tenant("contoso"), cancellationToken: Ct)));
            Structured(await alice.CallToolAsync("list_alerts", Tenant("fabrikam"), cancellationToken: Ct));
            var warning = Assert.Single(server.Stderr, l => l.StartsWith("warn: DefenderMcp.Hosting.Http.CallersFileWatch", StringComparison.Ordinal));
            Assert.Contains("'tailspin' is not a configured tenant); the 1 caller rules in force stay in force until the file is fixed.", warning, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    // The SDK client's default, which this stateful server settles at 2025-11-25, and an older client; both get the
    // notice on their GET stream. A default that moves to 2026-07-28 (notices only over subscriptions/listen) fails
    // here first, on purpose: check that path then.
    [Theory]
    [InlineData(null)]
    [InlineData("2025-06-18")]
    public async Task A_reload_tells_a_live_client_its_tool_list_changed_and_its_next_tools_list_follows_the_new_grant(string? protocolVersion)
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-list-changed-").FullName;
        try
        {
            var env = await TeamServerEnvironment.CreateAsync(fixture, home, new Dictionary<string, string[]> { ["alice"] = ["contoso"] }, Ct);
            var callers = env["DEFENDER_MCP_CALLERS_FILE"];
            await using var server = await HttpServerHost.StartAsync(env, Ct);
            var (notices, options) = Counting(protocolVersion);
            await using var alice = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct, options);

            Assert.Equal(protocolVersion ?? "2025-11-25", alice.NegotiatedProtocolVersion);
            Assert.True(alice.ServerCapabilities.Tools?.ListChanged, "tools.listChanged is not declared");
            // Prompt and resource-template lists never change: no listChanged for them (the SDK declared it true).
            Assert.NotNull(alice.ServerCapabilities.Prompts);
            Assert.NotNull(alice.ServerCapabilities.Resources);
            Assert.Null(alice.ServerCapabilities.Prompts.ListChanged);
            Assert.Null(alice.ServerCapabilities.Resources.ListChanged);
            var before = (await alice.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
            Assert.Contains("add_incident_comment", before);

            // Read only on contoso: the respond tools leave alice's list.
            await WritePrivateAsync(callers, """{"callers": {"key:alice": {"tenants": ["contoso"], "actions": "read"}}}""");
            await notices.First.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var after = (await alice.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();

            Assert.DoesNotContain("add_incident_comment", after);
            Assert.Contains("list_alerts", after);
            Assert.True(after.Count < before.Count);

            // A broken file changes nothing and tells no one.
            await WritePrivateAsync(callers, """{"callers": {"key:alice": {"tenants": ["tailspin"], "actions": "respond"}}}""");
            await AuditLineAsync(server, l => Event(l) == "callers_reloaded" && l.GetProperty("outcome").GetString() == "error");
            await Task.Delay(500, Ct);
            Assert.Equal(1, Volatile.Read(ref notices.Count));
            Assert.Equal(after, (await alice.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task A_reload_tells_only_the_sessions_whose_tool_list_it_changed()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-list-targeted-").FullName;
        try
        {
            var env = await TeamServerEnvironment.CreateAsync(fixture, home, new Dictionary<string, string[]> { ["alice"] = ["contoso"], ["bob"] = ["fabrikam"] }, Ct);
            var callers = env["DEFENDER_MCP_CALLERS_FILE"];
            await using var server = await HttpServerHost.StartAsync(env, Ct);
            var (aliceNotices, aliceOptions) = Counting();
            var (bobNotices, bobOptions) = Counting();
            await using var alice = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct, aliceOptions);
            await using var bob = await ConnectAsync(server.McpUrl, fixture.Keys["bob"], Ct, bobOptions);
            await alice.ListToolsAsync(cancellationToken: Ct);
            var bobTools = (await bob.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();

            // Alice loses the respond tier; bob's rule is rewritten but grants what it granted.
            await WritePrivateAsync(callers, """{"callers": {"key:alice": {"tenants": ["contoso"], "actions": "read"}, "key:bob": {"actions": "respond", "tenants": ["fabrikam"]}}}""");
            await aliceNotices.First.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await Task.Delay(1500, Ct);
            var bobAfterFirst = Volatile.Read(ref bobNotices.Count);
            Assert.Equal(bobTools, (await bob.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList());

            // Now bob loses the respond tier too: bob is told, and alice, whose list stays as it is, is not told again.
            await WritePrivateAsync(callers, """{"callers": {"key:alice": {"tenants": ["contoso"], "actions": "read"}, "key:bob": {"tenants": ["fabrikam"], "actions": "read"}}}""");
            await bobNotices.First.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
            await Task.Delay(1500, Ct);

            Assert.Equal(0, bobAfterFirst);
            Assert.Equal(1, Volatile.Read(ref aliceNotices.Count));
            Assert.Equal(1, Volatile.Read(ref bobNotices.Count));
            Assert.DoesNotContain("add_incident_comment", (await bob.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task A_flood_of_unknown_keys_is_one_caller_refused_line_that_never_holds_the_key()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-refused-").FullName;
        try
        {
            var env = await TeamServerEnvironment.CreateAsync(fixture, home, new Dictionary<string, string[]> { ["alice"] = ["contoso"] }, Ct);
            await using var server = await HttpServerHost.StartAsync(env, Ct);
            const string Guess = "dmcp_not-a-key-anyone-was-given-0123456789abcdef";

            for (var i = 0; i < 20; i++)
            {
                using var response = await PostAsync(server.McpUrl, Guess, Ct);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }

            using (var none = await PostAsync(server.McpUrl, key: null, Ct))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            }

            var line = await AuditLineAsync(server, l => Event(l) == "caller_refused");
            await Task.Delay(500, Ct);
            Assert.Single(server.AuditLines(), l => Event(l) == "caller_refused");
            Assert.Equal(("unknown_api_key", "/mcp", "127.0.0.1", 0), (line.GetProperty("reason").GetString(), line.GetProperty("path").GetString(), line.GetProperty("remote").GetString(), line.GetProperty("counts").GetProperty("suppressed").GetInt32()));
            Assert.DoesNotContain(server.Stderr, l => l.Contains(Guess, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task A_prompt_for_a_configured_tenant_outside_the_grant_is_a_refusal_and_an_unknown_tenant_is_not()
    {
        var home = Directory.CreateTempSubdirectory("defender-mcp-e2e-refused-prompt-").FullName;
        try
        {
            var env = await TeamServerEnvironment.CreateAsync(fixture, home, new Dictionary<string, string[]> { ["alice"] = ["contoso"] }, Ct);
            await using var server = await HttpServerHost.StartAsync(env, Ct);
            await using var alice = await ConnectAsync(server.McpUrl, fixture.Keys["alice"], Ct);

            var unknown = await Assert.ThrowsAnyAsync<Exception>(() => alice.GetPromptAsync("triage_incident", new Dictionary<string, object?> { ["incident_id"] = "4301", ["tenant"] = "tailspin" }, cancellationToken: Ct).AsTask());
            await Task.Delay(500, Ct);
            Assert.DoesNotContain(server.AuditLines(), l => Event(l) == "caller_refused");
            var foreign = await Assert.ThrowsAnyAsync<Exception>(() => alice.GetPromptAsync("triage_incident", new Dictionary<string, object?> { ["incident_id"] = "4301", ["tenant"] = "fabrikam" }, cancellationToken: Ct).AsTask());

            Assert.Equal(unknown.Message, foreign.Message);
            var line = await AuditLineAsync(server, l => Event(l) == "caller_refused");
            await Task.Delay(500, Ct);
            Assert.Single(server.AuditLines(), l => Event(l) == "caller_refused");
            Assert.Equal(("tenant_not_granted", "alice"), (line.GetProperty("reason").GetString(), line.GetProperty("caller").GetProperty("name").GetString()));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static Dictionary<string, object?> Tenant(string key) => new() { ["tenant"] = key, ["limit"] = 1 };

    private static string? Event(JsonElement line) => line.GetProperty("event").GetString();

    // Accepts every confirmation, but only once the test says so: the call waits in between.
    private static McpClientOptions Confirming(TaskCompletionSource asked, TaskCompletionSource answer) => new()
    {
        ClientInfo = new Implementation { Name = "e2e-callers-reload", Version = "1.0" },
        Handlers = new McpClientHandlers
        {
            ElicitationHandler = async (_, ct) =>
            {
                asked.TrySetResult();
                await answer.Task.WaitAsync(ct);
                return new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(true) } };
            },
        },
    };

    // The file is re-read once it stands still for one 2 s interval; allow 30 s.
    private static async Task<JsonElement> AuditLineAsync(HttpServerHost server, Func<JsonElement, bool> match)
    {
        for (var i = 0; i < 300; i++)
        {
            if (server.AuditLines().LastOrDefault(match) is { ValueKind: JsonValueKind.Object } line)
            {
                return line;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail("no such audit line within 30 s:\n" + string.Join('\n', server.Stderr.TakeLast(20)));
        return default;
    }

    // A client (at protocolVersion, or the SDK's default) that counts the tools/list_changed notices it gets; First
    // completes at the first.
    private static (NoticeCount Notices, McpClientOptions Options) Counting(string? protocolVersion = null)
    {
        var notices = new NoticeCount();
        return (notices, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "e2e-list-changed", Version = "1.0" },
            ProtocolVersion = protocolVersion,
            Handlers = new McpClientHandlers
            {
                NotificationHandlers =
                [
                    new(NotificationMethods.ToolListChangedNotification, (_, _) =>
                    {
                        Interlocked.Increment(ref notices.Count);
                        notices.First.TrySetResult();
                        return ValueTask.CompletedTask;
                    }),
                ],
            },
        });
    }

    private sealed class NoticeCount
    {
#pragma warning disable CA1051, SA1401 // A counter the notification handler increments in place.
        public int Count;
#pragma warning restore CA1051, SA1401

        public TaskCompletionSource First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static async Task WritePrivateAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path, text, Ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
