using System.Net;
using System.Text.Json;
using DefenderMcp.Emulator.Security;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// Entra ID callers and the caller policy over real HTTP against the built server: the 401 and its resource metadata,
/// every token a server must refuse, a read-only caller, a caller limited to one tenant (also through "*"), and a
/// signing key rotation picked up from the JWKS.
/// </summary>
public sealed class EntraCallerTests(EntraCallerFixture fixture) : IClassFixture<EntraCallerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string MetadataUrl => $"{fixture.Server.BaseUrl}.well-known/oauth-protected-resource/mcp";

    [Fact]
    public void The_start_line_and_audit_name_both_ways_in_once_as_auth_api_keys_plus_entra()
    {
        // It read "auth=api_keys+auth=entra": each way repeated the "auth=" of the whole setting.
        var serving = Assert.Single(fixture.Server.Stderr, l => l.StartsWith("defender-mcp: serving MCP", StringComparison.Ordinal));
        Assert.EndsWith("(auth=api_keys+entra callers=4)", serving, StringComparison.Ordinal);
        var start = Assert.Single(fixture.Server.AuditLines(), l => l.GetProperty("event").GetString() == "server_start");
        Assert.Contains("auth=api_keys+entra callers=4", start.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task No_credential_gets_401_naming_the_resource_metadata_which_names_the_authority()
    {
        using var response = await HttpClients.PostAsync(fixture.Server.McpUrl, null, Ct);
        using var http = new HttpClient();
        var metadata = JsonDocument.Parse(await http.GetStringAsync(MetadataUrl, Ct)).RootElement;
        var rootMetadata = JsonDocument.Parse(await http.GetStringAsync($"{fixture.Server.BaseUrl}.well-known/oauth-protected-resource", Ct)).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid_token", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal(fixture.Server.McpUrl.ToString(), metadata.GetProperty("resource").GetString());
        Assert.Equal([fixture.Authority], metadata.GetProperty("authorization_servers").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["header"], metadata.GetProperty("bearer_methods_supported").EnumerateArray().Select(a => a.GetString()));
        // RFC 9728 section 3.3: "resource" is the identifier the metadata URL was built from. The root document is
        // the host's (it said /mcp, which a client that derived the root URL must reject).
        Assert.Equal(fixture.Server.BaseUrl.GetLeftPart(UriPartial.Authority), rootMetadata.GetProperty("resource").GetString());
        Assert.Equal(metadata.GetProperty("authorization_servers").GetRawText(), rootMetadata.GetProperty("authorization_servers").GetRawText());
        Assert.Equal(metadata.GetProperty("scopes_supported").GetRawText(), rootMetadata.GetProperty("scopes_supported").GetRawText());
        // Keys and Entra are both on here, so the text names both.
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Entra ID", text, StringComparison.Ordinal);
        Assert.Contains("API key", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_resource_metadata_is_not_built_from_a_foreign_host()
    {
        using var http = new HttpClient();
        foreach (var path in new[] { ".well-known/oauth-protected-resource/mcp", ".well-known/oauth-protected-resource", ".WELL-KNOWN/oauth-protected-resource/MCP" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.Server.BaseUrl, path));
            request.Headers.Host = "evil.example:" + fixture.Server.McpUrl.Port;
            using var response = await http.SendAsync(request, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("not yet valid")]
    [InlineData("another audience")]
    [InlineData("another issuer")]
    [InlineData("another tenant")]
    [InlineData("another tenant under this issuer")]
    [InlineData("unsigned")]
    [InlineData("unknown key")]
    [InlineData("no oid")]
    [InlineData("no scope or role")]
    [InlineData("id token")]
    public async Task A_token_the_server_must_refuse_gets_401_with_invalid_token(string variant)
    {
        var token = await fixture.TokenAsync(r => variant switch
        {
            "expired" => r with { LifetimeSeconds = -300 },
            "not yet valid" => r with { NotBeforeSeconds = 600 },
            "another audience" => r with { Audience = "api://someone-else" },
            "another issuer" => r with { Issuer = "https://login.microsoftonline.com/" + fixture.Directory.TenantId + "/v2.0" },
            "another tenant" => r with { Tenant = "fabrikam" },
            // Another directory's token that passes the issuer check (a custom authority that names another tenant
            // than DEFENDER_MCP_ENTRA_TENANT_ID): its tid is not the callers' directory. It used to be accepted.
            "another tenant under this issuer" => r with { Tenant = "fabrikam", Issuer = fixture.Authority },
            "unsigned" => r with { Signing = CallerSigning.None },
            "unknown key" => r with { Signing = CallerSigning.Foreign },
            "no oid" => r with { Oid = "not-a-guid" },
            "no scope or role" => r with { Scopes = "", Roles = [] },
            "id token" => r with { IdToken = true, Roles = [EntraCallerFixture.ReaderRole] },
            _ => throw new ArgumentException(variant),
        });
        var valid = await fixture.TokenAsync(r => r with { Roles = [EntraCallerFixture.ReaderRole] });

        using var refused = await HttpClients.PostAsync(fixture.Server.McpUrl, token, Ct);
        using var accepted = await HttpClients.PostAsync(fixture.Server.McpUrl, valid, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var challenge = Assert.Single(refused.Headers.WwwAuthenticate).Parameter;
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", challenge, StringComparison.Ordinal);
        var body = await refused.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.DoesNotContain(fixture.Server.Stderr, line => line.Contains(token, StringComparison.Ordinal));

        // The refusal is a caller_refused line, coalesced per remote address: the variants share one per 10 s window.
        var refusal = (await LinesAsync(l => l.GetProperty("event").GetString() == "caller_refused" && l.GetProperty("reason").GetString() == "invalid_bearer"))[0];
        Assert.Equal(("/mcp", "127.0.0.1"), (refusal.GetProperty("path").GetString(), refusal.GetProperty("remote").GetString()));
        Assert.False(refusal.TryGetProperty("caller", out _));

        // A token the caller got wrong is one log line, not the JWT handler's stack trace (configuration.md promises
        // one line for what a caller caused).
        var lines = fixture.Server.Stderr;
        var traced = lines.Select((line, i) => (line, i)).Where(p => p.line.TrimStart().StartsWith("at Microsoft.IdentityModel.", StringComparison.Ordinal)).Select(p => string.Join("\n", lines.Skip(Math.Max(0, p.i - 3)).Take(4))).FirstOrDefault();
        Assert.True(traced is null, traced);
    }

    [Fact]
    public async Task A_read_only_caller_sees_no_write_tool_and_is_refused_one_before_any_upstream_request()
    {
        var oid = Guid.NewGuid().ToString();
        var token = await fixture.TokenAsync(r => r with { Oid = oid, Roles = [EntraCallerFixture.ReaderRole] });
        await using var client = await HttpClients.ConnectAsync(fixture.Server.McpUrl, token, Ct);

        var tools = (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.ProtocolTool).ToList();
        await fixture.Control.ClearRequestsAsync(Ct);
        var refused = await client.CallToolAsync("add_indicator", new Dictionary<string, object?> { ["indicator"] = "203.0.113.7", ["type"] = "IpAddress", ["action"] = "Block", ["title"] = "t", ["description"] = "d", ["severity"] = "High" }, cancellationToken: Ct);
        var upstream = await fixture.Control.GetRequestsAsync(Ct);
        var alerts = HttpClients.Structured(await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = "*", ["limit"] = 1 }, cancellationToken: Ct));
        // The caller's own tier on each tenant, not the tenant's (it said live_response to a read-only caller).
        var status = HttpClients.Structured(await client.CallToolAsync("get_server_status", new Dictionary<string, object?> { ["tenant"] = "*" }, cancellationToken: Ct));
        Assert.All(status.GetProperty("results").EnumerateArray(), r => Assert.Equal("read", r.GetProperty("result").GetProperty("actions").GetString()));

        Assert.Contains(tools, t => t.Name == "list_alerts");
        Assert.All(tools, t => Assert.True(t.Annotations?.ReadOnlyHint == true, $"{t.Name} is listed to a read-only caller"));
        Assert.DoesNotContain(tools, t => t.Name is "add_indicator" or "isolate_device" or "update_incident");
        Assert.Equal("policy_denied", HttpClients.ErrorCode(refused));
        Assert.Empty(upstream);
        Assert.Equal(["contoso", "fabrikam"], alerts.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        var audit = await AuditLineAsync("add_indicator", oid);
        Assert.Equal("policy_denied", audit.GetProperty("error_code").GetString());
        Assert.Equal("entra", audit.GetProperty("caller").GetProperty("kind").GetString());
        // The token's name claims (the emulator mints "Demo Analyst", demo.analyst@<domain>) name the person on the line.
        Assert.Equal("Demo Analyst", audit.GetProperty("caller").GetProperty("display_name").GetString());
        Assert.StartsWith("demo.analyst@", audit.GetProperty("caller").GetProperty("upn").GetString(), StringComparison.Ordinal);
        var refusal = Assert.Single(await LinesAsync(l => l.GetProperty("event").GetString() == "caller_refused" && l.TryGetProperty("caller", out var c) && c.GetProperty("name").GetString() == oid));
        Assert.Equal(("tier_not_granted", "add_indicator", "/mcp", 0), (refusal.GetProperty("reason").GetString(), refusal.GetProperty("tool").GetString(), refusal.GetProperty("path").GetString(), refusal.GetProperty("counts").GetProperty("suppressed").GetInt32()));
        // The refusal names the person as the call's own line does (it had only the oid).
        Assert.Equal("Demo Analyst", refusal.GetProperty("caller").GetProperty("display_name").GetString());
        Assert.Equal(audit.GetProperty("caller").GetProperty("upn").GetString(), refusal.GetProperty("caller").GetProperty("upn").GetString());
        Assert.DoesNotContain(fixture.Server.Stderr, line => line.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_tool_says_what_the_caller_lacks_its_tier_or_any_rule_at_all()
    {
        // Both said only "'<tool>' is not available to this caller.": a reader could not tell a tier from a missing
        // rule, nor whom to ask for what.
        var reader = await fixture.TokenAsync(r => r with { Oid = Guid.NewGuid().ToString(), Roles = [EntraCallerFixture.ReaderRole] });
        var stranger = await fixture.TokenAsync(r => r with { Oid = Guid.NewGuid().ToString(), Roles = ["Some.Other.Role"] });
        await using var readerClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, reader, Ct);
        await using var strangerClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, stranger, Ct);

        var write = await readerClient.CallToolAsync("isolate_device", new Dictionary<string, object?> { ["device"] = "ctso-eng-ws-025", ["comment"] = "x" }, cancellationToken: Ct);
        var read = await strangerClient.CallToolAsync("list_alerts", new Dictionary<string, object?>(), cancellationToken: Ct);
        var strangerTools = await strangerClient.ListToolsAsync(cancellationToken: Ct);

        Assert.Equal("policy_denied", HttpClients.ErrorCode(write));
        Assert.Contains("'isolate_device' needs the respond tier, and this caller has read at most.", Message(write), StringComparison.Ordinal);
        Assert.Equal("policy_denied", HttpClients.ErrorCode(read));
        Assert.Contains("no rule of the server's caller policy gives this caller any tenant", Message(read), StringComparison.Ordinal);
        Assert.Empty(strangerTools);
    }

    [Fact]
    public async Task A_caller_limited_to_contoso_cannot_read_fabrikam_also_not_through_star()
    {
        var token = await fixture.TokenAsync(r => r with { Name = EntraCallerFixture.ContosoAnalyst });
        await using var client = await HttpClients.ConnectAsync(fixture.Server.McpUrl, token, Ct);

        await fixture.Control.ClearRequestsAsync(Ct);
        var named = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = "fabrikam" }, cancellationToken: Ct);
        var listed = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = new[] { "contoso", "fabrikam" } }, cancellationToken: Ct);
        var unknown = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = "tailspin" }, cancellationToken: Ct);
        var star = HttpClients.Structured(await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = "*", ["limit"] = 2 }, cancellationToken: Ct));
        var byDefault = HttpClients.Structured(await client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["limit"] = 1 }, cancellationToken: Ct));
        var tools = (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
        var upstream = await fixture.Control.GetRequestsAsync(Ct);

        foreach (var refused in new[] { named, listed, unknown })
        {
            Assert.Equal("policy_denied", HttpClients.ErrorCode(refused));
            var message = JsonSerializer.Serialize(refused.StructuredContent);
            Assert.DoesNotContain("fabrikam", message, StringComparison.Ordinal);
            Assert.DoesNotContain("tailspin", message, StringComparison.Ordinal);
        }

        Assert.Equal(["contoso"], star.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("contoso", byDefault.GetProperty("tenant").GetString());
        Assert.Contains("add_indicator", tools);
        Assert.Contains("isolate_device", tools);
        Assert.NotEmpty(upstream);
        Assert.All(upstream, r => Assert.NotEqual("fabrikam", r.Tenant));
    }

    [Fact]
    public async Task An_api_key_next_to_entra_gets_its_own_rule_by_key_name()
    {
        await using var client = await HttpClients.ConnectAsync(fixture.Server.McpUrl, fixture.CiBotKey, Ct);

        var tools = (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.ProtocolTool).ToList();
        var star = HttpClients.Structured(await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = "*", ["limit"] = 1 }, cancellationToken: Ct));
        var contoso = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = "contoso" }, cancellationToken: Ct);
        var write = await client.CallToolAsync("update_incident", new Dictionary<string, object?> { ["tenant"] = "fabrikam" }, cancellationToken: Ct);
        using var wrongKey = await HttpClients.PostAsync(fixture.Server.McpUrl, fixture.CiBotKey + "x", Ct);

        Assert.NotEmpty(tools);
        Assert.All(tools, t => Assert.True(t.Annotations?.ReadOnlyHint == true, $"{t.Name} is listed to a read-only key"));
        Assert.Equal(["fabrikam"], star.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("policy_denied", HttpClients.ErrorCode(contoso));
        Assert.Equal("policy_denied", HttpClients.ErrorCode(write));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Contains("resource_metadata=", Assert.Single(wrongKey.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        var audit = await AuditLineAsync("update_incident", "ci-bot");
        Assert.Equal("api_key", audit.GetProperty("caller").GetProperty("kind").GetString());
        Assert.DoesNotContain(fixture.Server.Stderr, line => line.Contains(fixture.CiBotKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_operators_audit_line_names_the_tenant_a_caller_was_refused_and_the_caller_is_told_nothing()
    {
        // ci-bot may read fabrikam only. The refusal's audit line had "tenants": [] and no tenant parameter, so the
        // operator could not tell which customer a caller reached for; a key that is no tenant stays unrecorded.
        await using var client = await HttpClients.ConnectAsync(fixture.Server.McpUrl, fixture.CiBotKey, Ct);

        var named = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = "contoso" }, cancellationToken: Ct);
        var namedAudit = await AuditLineAsync("list_alerts", "ci-bot");
        var listed = await client.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["tenant"] = new[] { "contoso", "tailspin-secret" } }, cancellationToken: Ct);
        var listedAudit = await AuditLineAsync("list_incidents", "ci-bot");
        var write = await client.CallToolAsync("add_incident_comment", new Dictionary<string, object?> { ["tenant"] = "contoso", ["incident_id"] = "4301", ["comment"] = "x" }, cancellationToken: Ct);
        var writeAudit = await AuditLineAsync("add_incident_comment", "ci-bot");

        foreach (var (result, audit) in new[] { (named, namedAudit), (listed, listedAudit), (write, writeAudit) })
        {
            Assert.Equal("policy_denied", HttpClients.ErrorCode(result));
            Assert.DoesNotContain("contoso", JsonSerializer.Serialize(result.StructuredContent), StringComparison.Ordinal);
            Assert.Equal("denied_caller", audit.GetProperty("policy_decision").GetString());
            Assert.Empty(audit.GetProperty("tenants").EnumerateArray());
        }

        Assert.Equal("contoso", namedAudit.GetProperty("params").GetProperty("tenant").GetString());
        Assert.Equal(["contoso", "(unknown)"], listedAudit.GetProperty("params").GetProperty("tenant").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("contoso", writeAudit.GetProperty("params").GetProperty("tenant").GetString());
        Assert.DoesNotContain(fixture.Server.Stderr, line => line.Contains("tailspin-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cached_hunting_result_of_another_tenant_reads_as_missing_for_a_limited_caller()
    {
        var reader = await fixture.TokenAsync(r => r with { Roles = [EntraCallerFixture.ReaderRole] });
        var analyst = await fixture.TokenAsync(r => r with { Name = EntraCallerFixture.ContosoAnalyst });
        await using var readerClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, reader, Ct);
        await using var analystClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, analyst, Ct);

        string ResultId(CallToolResult r) => HttpClients.Structured(r).GetProperty("result_id").GetString()!;
        Dictionary<string, object?> Hunt(string tenant) => new() { ["query"] = "DeviceInfo | take 3 | project DeviceName", ["tenant"] = tenant };
        var fabrikamResult = ResultId(await readerClient.CallToolAsync("query_advanced_hunting", Hunt("fabrikam"), cancellationToken: Ct));
        var contosoResult = ResultId(await readerClient.CallToolAsync("query_advanced_hunting", Hunt("contoso"), cancellationToken: Ct));

        var page = await analystClient.CallToolAsync("get_hunting_results", new Dictionary<string, object?> { ["result_id"] = fabrikamResult }, cancellationToken: Ct);
        var resource = await Assert.ThrowsAnyAsync<Exception>(() => analystClient.ReadResourceAsync($"defender://results/{fabrikamResult}", cancellationToken: Ct).AsTask());
        var own = await analystClient.ReadResourceAsync($"defender://results/{contosoResult}", cancellationToken: Ct);
        var readerOwn = await readerClient.ReadResourceAsync($"defender://results/{fabrikamResult}", cancellationToken: Ct);

        Assert.Equal("not_found", HttpClients.ErrorCode(page));
        Assert.DoesNotContain("fabrikam", resource.Message, StringComparison.Ordinal);
        Assert.Contains("\"tenant\":\"contoso\"", Assert.IsType<TextResourceContents>(Assert.Single(own.Contents)).Text, StringComparison.Ordinal);
        Assert.Contains("\"tenant\":\"fabrikam\"", Assert.IsType<TextResourceContents>(Assert.Single(readerOwn.Contents)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confirmation_token_is_the_yes_of_the_caller_it_was_issued_to_only()
    {
        var responder = await fixture.TokenAsync(r => r with { Roles = [EntraCallerFixture.ResponderRole] });
        var analyst = await fixture.TokenAsync(r => r with { Name = EntraCallerFixture.ContosoAnalyst });
        await using var responderClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, responder, Ct);
        await using var analystClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, analyst, Ct);
        var incidents = HttpClients.Structured(await responderClient.CallToolAsync("list_incidents", new Dictionary<string, object?> { ["tenant"] = "contoso", ["limit"] = 1 }, cancellationToken: Ct));
        var comment = new Dictionary<string, object?> { ["tenant"] = "contoso", ["incident_id"] = incidents.GetProperty("incidents")[0].GetProperty("id").GetString(), ["comment"] = "e2e token binding" };
        var preview = HttpClients.Structured(await responderClient.CallToolAsync("add_incident_comment", comment, cancellationToken: Ct));
        var confirmed = new Dictionary<string, object?>(comment) { ["confirmation_token"] = preview.GetProperty("confirmation_token").GetString() };

        // The analyst may comment on contoso itself, but a token it saw in someone else's transcript is not its yes.
        await fixture.Control.ClearRequestsAsync(Ct);
        var borrowed = await analystClient.CallToolAsync("add_incident_comment", confirmed, cancellationToken: Ct);
        var upstream = await fixture.Control.GetRequestsAsync(Ct);
        var own = await responderClient.CallToolAsync("add_incident_comment", confirmed, cancellationToken: Ct);

        Assert.Equal("confirmation_required", HttpClients.ErrorCode(borrowed));
        Assert.DoesNotContain(upstream, r => r.Method != "GET");
        Assert.NotEqual("confirmation_required", HttpClients.Structured(own).TryGetProperty("status", out var status) ? status.GetString() : null);
        // The comment the person confirmed and Defender keeps names them by sign-in name (the request is the app's).
        Assert.Matches(@"^e2e token binding \(requested by demo\.analyst@\S+ via DefenderMcp\)$", preview.GetProperty("comment").GetString());
        Assert.Equal(preview.GetProperty("comment").GetString(), HttpClients.Structured(own).GetProperty("comment").GetString());
        Assert.Contains(fixture.Server.AuditLines(), l => l.TryGetProperty("tool", out var t) && t.GetString() == "add_incident_comment" &&
            l.TryGetProperty("confirmation", out var c) && c.GetString() == "token_rejected" && l.GetProperty("caller").GetProperty("name").GetString() == fixture.ContosoAnalystOid);

        // The intent line written before the send names the person as the call's own line does (it lacked upn and name).
        var id = "confirmation_id=" + preview.GetProperty("confirmation_token").GetString()!.Split('.')[2];
        var intent = Assert.Single(await LinesAsync(l => l.GetProperty("event").GetString() == "action_intent" &&
            l.GetProperty("notes").EnumerateArray().Any(n => n.GetString() == id)));
        Assert.Equal(("entra", "Demo Analyst"), (intent.GetProperty("caller").GetProperty("kind").GetString(), intent.GetProperty("caller").GetProperty("display_name").GetString()));
        Assert.StartsWith("demo.analyst@", intent.GetProperty("caller").GetProperty("upn").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_cannot_read_stop_or_replace_a_scheduled_hunt_on_a_tenant_outside_its_grant()
    {
        const string hunt = "high-severity-alerts";
        var responder = await fixture.TokenAsync(r => r with { Roles = [EntraCallerFixture.ResponderRole] });
        var analyst = await fixture.TokenAsync(r => r with { Name = EntraCallerFixture.ContosoAnalyst });
        await using var responderClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, responder, Ct);
        await using var analystClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, analyst, Ct);
        var name = new Dictionary<string, object?> { ["name"] = hunt };
        HttpClients.Structured(await responderClient.CallToolAsync("schedule_hunt", new Dictionary<string, object?>(name) { ["every"] = "PT1H", ["tenant"] = "fabrikam" }, cancellationToken: Ct));

        // The first run starts at once; wait (bounded) until it is recorded.
        var runs = 0;
        for (var attempt = 0; attempt < 100 && runs == 0; attempt++)
        {
            runs = HttpClients.Structured(await responderClient.CallToolAsync("get_hunt_results", name, cancellationToken: Ct)).GetProperty("count").GetInt32();
            if (runs == 0)
            {
                await Task.Delay(200, Ct);
            }
        }

        var seen = HttpClients.Structured(await analystClient.CallToolAsync("get_hunt_results", name, cancellationToken: Ct));
        var responderSeen = HttpClients.Structured(await responderClient.CallToolAsync("get_hunt_results", name, cancellationToken: Ct));
        var listed = HttpClients.Structured(await analystClient.CallToolAsync("list_saved_hunts", new Dictionary<string, object?>(), cancellationToken: Ct));
        var responderListed = HttpClients.Structured(await responderClient.CallToolAsync("list_saved_hunts", new Dictionary<string, object?>(), cancellationToken: Ct));
        var stop = await analystClient.CallToolAsync("unschedule_hunt", name, cancellationToken: Ct);
        var replace = await analystClient.CallToolAsync("schedule_hunt", new Dictionary<string, object?>(name) { ["every"] = "PT1H", ["tenant"] = "contoso" }, cancellationToken: Ct);
        var stopped = HttpClients.Structured(await responderClient.CallToolAsync("unschedule_hunt", name, cancellationToken: Ct));

        Assert.True(runs > 0, "the scheduled hunt recorded no run within 20 s");
        Assert.Equal(0, seen.GetProperty("count").GetInt32());
        string? Every(JsonElement list) => list.GetProperty("hunts").EnumerateArray().Single(h => h.GetProperty("name").GetString() == hunt).TryGetProperty("scheduled_every", out var every) ? every.GetString() : null;
        Assert.Null(Every(listed));
        Assert.Equal("PT1H", Every(responderListed));
        Assert.DoesNotContain("fabrikam", seen.GetRawText(), StringComparison.Ordinal);
        // Nor whether it runs or when it runs next: the analyst reads what it would with no schedule anywhere (schedules
        // are per tenant), and the responder, whose schedule it is, reads both.
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("schedule").ValueKind);
        Assert.Equal(JsonValueKind.False, seen.GetProperty("run_in_progress").ValueKind);
        Assert.StartsWith("every 1h, next run ", responderSeen.GetProperty("schedule").GetString(), StringComparison.Ordinal);
        Assert.Contains(responderSeen.GetProperty("run_in_progress").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });

        // The analyst's unschedule and schedule touch only its own tenant (contoso), and say nothing of fabrikam's.
        Assert.True(stop.IsError is not true, "unschedule_hunt on its own tenant was refused");
        Assert.Contains("was not scheduled on contoso", HttpClients.Structured(stop).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(replace.IsError is not true, "schedule_hunt on its own tenant was refused");
        Assert.Equal(["contoso"], HttpClients.Structured(replace).GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));
        foreach (var answer in new[] { stop, replace })
        {
            Assert.DoesNotContain("fabrikam", JsonSerializer.Serialize(answer.StructuredContent), StringComparison.Ordinal);
        }

        // The responder's schedule on fabrikam ran on through them.
        var message = stopped.GetProperty("message").GetString();
        Assert.Contains("no longer scheduled", message, StringComparison.Ordinal);
        Assert.Contains("fabrikam", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenants_hunting_result_stays_closed_under_any_letter_case_of_its_uri()
    {
        var reader = await fixture.TokenAsync(r => r with { Roles = [EntraCallerFixture.ReaderRole] });
        var analyst = await fixture.TokenAsync(r => r with { Name = EntraCallerFixture.ContosoAnalyst });
        await using var readerClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, reader, Ct);
        await using var analystClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, analyst, Ct);
        var hunt = new Dictionary<string, object?> { ["query"] = "DeviceInfo | take 2 | project DeviceName", ["tenant"] = "fabrikam" };
        var resultId = HttpClients.Structured(await readerClient.CallToolAsync("query_advanced_hunting", hunt, cancellationToken: Ct)).GetProperty("result_id").GetString();

        foreach (var uri in new[] { $"DEFENDER://RESULTS/{resultId}", $"defender://Results/{resultId}", $"Defender://results/{resultId}" })
        {
            // The template matches the prefix in any case; the caller's grant must be checked the same way.
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => analystClient.ReadResourceAsync(uri, cancellationToken: Ct).AsTask());
            Assert.DoesNotContain("fabrikam", refused.Message, StringComparison.Ordinal);
        }

        var own = await readerClient.ReadResourceAsync($"DEFENDER://RESULTS/{resultId}", cancellationToken: Ct);
        Assert.Contains("\"tenant\":\"fabrikam\"", Assert.IsType<TextResourceContents>(Assert.Single(own.Contents)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completions_prompts_and_resources_show_a_limited_caller_its_own_tenants_only()
    {
        var reader = await fixture.TokenAsync(r => r with { Roles = [EntraCallerFixture.ReaderRole] });
        var analyst = await fixture.TokenAsync(r => r with { Name = EntraCallerFixture.ContosoAnalyst });
        await using var readerClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, reader, Ct);
        await using var analystClient = await HttpClients.ConnectAsync(fixture.Server.McpUrl, analyst, Ct);
        var hunt = new Dictionary<string, object?> { ["query"] = "DeviceInfo | take 2 | project DeviceName", ["tenant"] = "fabrikam" };
        var fabrikamResult = HttpClients.Structured(await readerClient.CallToolAsync("query_advanced_hunting", hunt, cancellationToken: Ct)).GetProperty("result_id").GetString()!;
        var prompt = new PromptReference { Name = "triage_incident" };

        var tenants = (await analystClient.CompleteAsync(prompt, "tenant", string.Empty, cancellationToken: Ct)).Completion.Values;
        var probe = (await analystClient.CompleteAsync(prompt, "tenant", "fab", cancellationToken: Ct)).Completion;
        var results = (await analystClient.CompleteAsync(new ResourceTemplateReference { Uri = "defender://results/{resultId}" }, "resultId", fabrikamResult[..4], cancellationToken: Ct)).Completion.Values;
        var readerResults = (await readerClient.CompleteAsync(new ResourceTemplateReference { Uri = "defender://results/{resultId}" }, "resultId", fabrikamResult[..4], cancellationToken: Ct)).Completion.Values;
        var foreignPrompt = await Assert.ThrowsAnyAsync<Exception>(() => analystClient.GetPromptAsync("triage_incident", new Dictionary<string, object?> { ["incident_id"] = "4301", ["tenant"] = "fabrikam" }, cancellationToken: Ct).AsTask());
        var unknownPrompt = await Assert.ThrowsAnyAsync<Exception>(() => analystClient.GetPromptAsync("triage_incident", new Dictionary<string, object?> { ["incident_id"] = "4301", ["tenant"] = "tailspin" }, cancellationToken: Ct).AsTask());
        var ownPrompt = await analystClient.GetPromptAsync("triage_incident", new Dictionary<string, object?> { ["incident_id"] = "4301", ["tenant"] = "contoso" }, cancellationToken: Ct);
        var listed = await analystClient.ListResourcesAsync(cancellationToken: Ct);

        Assert.Equal(["contoso"], tenants);
        Assert.Empty(probe.Values);
        Assert.Equal(0, probe.Total ?? 0);
        Assert.DoesNotContain(fabrikamResult, results);
        Assert.Contains(fabrikamResult, readerResults);
        Assert.Equal(foreignPrompt.Message, unknownPrompt.Message);
        Assert.DoesNotContain("fabrikam", foreignPrompt.Message, StringComparison.Ordinal);
        Assert.Contains("contoso", JsonSerializer.Serialize(ownPrompt.Messages), StringComparison.Ordinal);
        Assert.DoesNotContain(listed, r => r.Uri.Contains(fabrikamResult, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rotated_signing_key_is_fetched_from_the_jwks_when_a_token_names_it()
    {
        var before = await fixture.TokenAsync(r => r with { Roles = [EntraCallerFixture.ReaderRole] });
        using (var first = await HttpClients.PostAsync(fixture.Server.McpUrl, before, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await fixture.Control.RotateCallerKeysAsync(retirePrevious: false, Ct);
        var after = await fixture.TokenAsync(r => r with { Roles = [EntraCallerFixture.ReaderRole] });

        // An earlier test's unknown-key refresh may be under a second old (the fixture's DEFENDER_MCP_ENTRA_KEY_REFRESH_SECONDS=1).
        await Task.Delay(1100, Ct);

        // The very first request with the new key is accepted: the unknown kid fetches the JWKS before validation. It
        // was refused once, and only a later request saw the refreshed keys.
        using var response = await HttpClients.PostAsync(fixture.Server.McpUrl, after, Ct);
        var status = response.StatusCode;

        using var old = await HttpClients.PostAsync(fixture.Server.McpUrl, before, Ct);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }

    private static string Message(CallToolResult result) =>
        Assert.IsType<JsonElement>(result.StructuredContent).GetProperty("error").GetProperty("message").GetString() ?? string.Empty;

    // The audit lines that match, once there is one (stderr reaches the test a moment after the response).
    private async Task<IReadOnlyList<JsonElement>> LinesAsync(Func<JsonElement, bool> match)
    {
        for (var i = 0; i < 50; i++)
        {
            if (fixture.Server.AuditLines().Where(match).ToList() is { Count: > 0 } lines)
            {
                return lines;
            }

            await Task.Delay(100, Ct);
        }

        return [];
    }

    private async Task<JsonElement> AuditLineAsync(string tool, string caller)
    {
        for (var i = 0; i < 50; i++)
        {
            var line = fixture.Server.AuditLines().LastOrDefault(l =>
                l.GetProperty("event").GetString() == "tool_call" &&
                l.TryGetProperty("tool", out var t) && t.GetString() == tool &&
                l.TryGetProperty("caller", out var c) && c.GetProperty("name").GetString() == caller);
            if (line.ValueKind == JsonValueKind.Object)
            {
                return line;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"no audit line for {tool} by {caller}");
        return default;
    }
}
