using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Emulator.Data;
using DefenderMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Identity;

// Its own emulator: these tests change users' state and inject faults.
public sealed class IdentityResponseTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly StoryNames Contoso = StoryNames.For("contoso", 0);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string IdOf(string account) => UserDirectory.UserId(Contoso, account);

    private static McpClientOptions Eliciting(string action, List<string> messages) => new()
    {
        Handlers = new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                messages.Add(request?.Message ?? string.Empty);
                return ValueTask.FromResult(new ElicitResult
                {
                    Action = action,
                    Content = action == "accept" ? new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(true) } : null,
                });
            },
        },
    };

    // The Graph writes identity response can send: anything else the emulator saw was a read.
    private async Task<List<RecordedRequest>> GraphWritesAsync() =>
        [.. (await fixture.Control.GetRequestsAsync(Ct)).Where(r =>
            (r.Method == "PATCH" && r.Path.StartsWith("/v1.0/users/", StringComparison.Ordinal)) ||
            (r.Method == "POST" && (r.Path.EndsWith("/revokeSignInSessions", StringComparison.Ordinal) || r.Path.StartsWith("/v1.0/identityProtection/riskyUsers/", StringComparison.Ordinal))))];

    [Theory]
    [InlineData("revoke_user_sessions", "megan.bowen", "POST", "/v1.0/users/{id}/revokeSignInSessions", "sessions_revoked", "true")]
    [InlineData("disable_user", "alex.wilber", "PATCH", "/v1.0/users/{id}", "account_enabled", "false")]
    [InlineData("enable_user", "alex.wilber", "PATCH", "/v1.0/users/{id}", "account_enabled", "true")]
    [InlineData("confirm_user_compromised", "adele.vance", "POST", "/v1.0/identityProtection/riskyUsers/confirmCompromised", "risk_level", "\"high\"")]
    [InlineData("dismiss_user_risk", "lidia.holloway", "POST", "/v1.0/identityProtection/riskyUsers/dismiss", "risk_level", "\"none\"")]
    public async Task Accepted_elicitation_sends_exactly_one_graph_write_to_the_resolved_object_id(string tool, string account, string method, string path, string field, string value)
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Eliciting("accept", messages));
        var before = (await GraphWritesAsync()).Count;
        var upn = $"{account}@contoso.com";

        var result = await server.CallOkAsync(tool, new() { ["user"] = upn });

        var writes = await GraphWritesAsync();
        Assert.Equal(before + 1, writes.Count);
        Assert.Equal((method, path.Replace("{id}", IdOf(account), StringComparison.Ordinal), 204 == writes[^1].Status || 200 == writes[^1].Status), (writes[^1].Method, writes[^1].Path, true));
        Assert.True(result.GetProperty("done").GetBoolean());
        Assert.Equal((upn, IdOf(account)), (result.GetProperty("target").GetProperty("name").GetString(), result.GetProperty("target").GetProperty("id").GetString()));
        Assert.Equal(value, result.GetProperty("changes").GetProperty(field).GetRawText());
        var message = Assert.Single(messages);
        Assert.Contains(upn, message, StringComparison.Ordinal);
        Assert.Contains("contoso", message, StringComparison.Ordinal);
        var audit = server.AuditLines().Last();
        Assert.Equal((tool, "elicitation_accepted", "allowed"), (audit.GetProperty("tool").GetString(), audit.GetProperty("confirmation").GetString(), audit.GetProperty("policy_decision").GetString()));
    }

    [Fact]
    public async Task An_object_id_is_accepted_as_the_user_and_needs_no_upn()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Eliciting("accept", messages));

        var result = await server.CallOkAsync("revoke_user_sessions", new() { ["user"] = IdOf("nestor.wilke").ToUpperInvariant() });

        Assert.Equal("nestor.wilke@contoso.com", result.GetProperty("target").GetProperty("name").GetString());
        Assert.Equal($"/v1.0/users/{IdOf("nestor.wilke")}/revokeSignInSessions", (await GraphWritesAsync())[^1].Path);
    }

    [Theory]
    [InlineData("decline")]
    [InlineData("cancel")]
    public async Task Declined_elicitation_sends_no_graph_write(string answer)
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Eliciting(answer, messages));
        var before = (await GraphWritesAsync()).Count;

        var (code, _) = await server.CallErrorAsync("disable_user", new() { ["user"] = "pradeep.gupta@contoso.com" });

        Assert.Equal("cancelled_by_user", code);
        Assert.Single(messages);
        Assert.Equal(before, (await GraphWritesAsync()).Count);
        Assert.Equal("elicitation_declined", server.AuditLines().Last().GetProperty("confirmation").GetString());
    }

    [Theory]
    [InlineData("breakglass01@contoso.com", "breakglass*@*")] // the demo policy's UPN glob
    [InlineData("it.admin@contoso.com", "group")] // the demo policy's Privileged Access group, through Tier 0 Admins
    [InlineData("grady.archie@contoso.com", "id")] // an object id added to the policy below
    public async Task A_protected_user_is_refused_before_any_confirmation(string upn, string by)
    {
        var messages = new List<string>();
        var protectedId = IdOf("grady.archie");
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => s with { Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { ProtectedUsers = [.. t.Policy.ProtectedUsers, protectedId] } })] },
            ActionTier.Respond,
            clientOptions: Eliciting("accept", messages));
        var before = (await GraphWritesAsync()).Count;

        foreach (var tool in new[] { "revoke_user_sessions", "disable_user", "confirm_user_compromised", "dismiss_user_risk", "enable_user" })
        {
            var (code, message) = await server.CallErrorAsync(tool, new() { ["user"] = upn });
            Assert.Equal("policy_denied", code);
            Assert.Contains("protected", message, StringComparison.Ordinal);
            var entry = by switch { "group" => UserDirectory.PrivilegedAccessGroupId("contoso.com"), "id" => protectedId, _ => by };
            Assert.Contains($"'{entry}'", message, StringComparison.Ordinal);
            Assert.Equal("denied_protected", server.AuditLines().Last().GetProperty("policy_decision").GetString());
        }

        Assert.Empty(messages);
        Assert.Equal(before, (await GraphWritesAsync()).Count);
        // A dry run of a protected user is refused too: there is nothing to preview.
        Assert.Equal("policy_denied", (await server.CallErrorAsync("disable_user", new() { ["user"] = upn, ["dry_run"] = true })).Code);
    }

    [Fact]
    public async Task Identity_writes_spend_the_hourly_budget_and_are_refused_past_it()
    {
        await using var server = await ServerHarness.StartAsync(
            fixture,
            s => s with { Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { MaxActionsPerHour = 1 } })] },
            ActionTier.Respond,
            ConfirmationMode.None);
        var before = (await GraphWritesAsync()).Count;

        await server.CallOkAsync("revoke_user_sessions", new() { ["user"] = "isaiah.langer@contoso.com", ["tenant"] = "contoso" });
        var (code, message) = await server.CallErrorAsync("disable_user", new() { ["user"] = "isaiah.langer@contoso.com" });

        Assert.Equal("policy_denied", code);
        Assert.Contains("frees up", message, StringComparison.Ordinal);
        Assert.Equal(before + 1, (await GraphWritesAsync()).Count);
        Assert.Equal("denied_budget", server.AuditLines().Last().GetProperty("policy_decision").GetString());
    }

    [Fact]
    public async Task Token_confirmation_previews_then_acts_once_with_the_token()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.Token);
        var args = new Dictionary<string, object?> { ["user"] = "adele.vance@contoso.com" };
        var before = (await GraphWritesAsync()).Count;

        var preview = await server.CallOkAsync("revoke_user_sessions", args);
        Assert.Equal(before, (await GraphWritesAsync()).Count);
        args["confirmation_token"] = preview.GetProperty("confirmation_token").GetString();
        var done = await server.CallOkAsync("revoke_user_sessions", args);
        var reused = await server.CallErrorAsync("revoke_user_sessions", args);

        Assert.Equal("confirmation_required", preview.GetProperty("status").GetString());
        Assert.EndsWith($"/v1.0/users/{IdOf("adele.vance")}/revokeSignInSessions", preview.GetProperty("request").GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.True(done.GetProperty("done").GetBoolean());
        Assert.Equal("confirmation_required", reused.Code);
        Assert.Equal(before + 1, (await GraphWritesAsync()).Count);
    }

    [Fact]
    public async Task A_failed_membership_check_refuses_rather_than_guesses()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Eliciting("accept", messages));
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, Count = 1, PathPattern = "/checkMemberGroups$" }, Ct);
        var before = (await GraphWritesAsync()).Count;

        var (code, message) = await server.CallErrorAsync("disable_user", new() { ["user"] = "lynne.robbins@contoso.com" });

        Assert.Equal("policy_denied", code);
        Assert.Contains("could not be checked", message, StringComparison.Ordinal);
        Assert.Empty(messages);
        Assert.Equal(before, (await GraphWritesAsync()).Count);
    }

    [Fact]
    public async Task Dry_run_previews_the_exact_request_and_sends_nothing()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Eliciting("accept", messages));
        var before = (await GraphWritesAsync()).Count;

        var preview = await server.CallOkAsync("disable_user", new() { ["user"] = "diego.siciliani@contoso.com", ["dry_run"] = true });
        var risk = await server.CallOkAsync("confirm_user_compromised", new() { ["user"] = "diego.siciliani@contoso.com", ["dry_run"] = true });

        Assert.True(preview.GetProperty("dry_run").GetBoolean());
        var request = preview.GetProperty("request");
        Assert.Equal("PATCH", request.GetProperty("method").GetString());
        Assert.EndsWith($"/v1.0/users/{IdOf("diego.siciliani")}", request.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.False(request.GetProperty("body").GetProperty("accountEnabled").GetBoolean());
        Assert.Equal(IdOf("diego.siciliani"), risk.GetProperty("request").GetProperty("body").GetProperty("userIds")[0].GetString());
        Assert.Empty(messages);
        Assert.Equal(before, (await GraphWritesAsync()).Count);
        Assert.Equal("dry_run", server.AuditLines().Last().GetProperty("confirmation").GetString());
    }

    [Theory]
    [InlineData("adele.vance@contoso.com/../x")]
    [InlineData("adele.vance")]
    [InlineData("adele vance@contoso.com")]
    [InlineData("x@contoso.com?$select=*")]
    public async Task A_malformed_user_is_refused_before_any_request(string user)
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        await fixture.Control.ClearRequestsAsync(Ct);

        var (code, _) = await server.CallErrorAsync("revoke_user_sessions", new() { ["user"] = user });

        Assert.Equal("invalid_input", code);
        Assert.DoesNotContain(await fixture.Control.GetRequestsAsync(Ct), r => r.Path.Contains("/users", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_user_is_not_found_and_nothing_is_written()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var before = (await GraphWritesAsync()).Count;

        var (code, _) = await server.CallErrorAsync("disable_user", new() { ["user"] = "nobody@contoso.com" });

        Assert.Equal("not_found", code);
        Assert.Equal(before, (await GraphWritesAsync()).Count);
    }

    // The intended golden change: tools-list.json gains these five tools, dry-run-previews.json their previews.
    [Fact]
    public async Task The_identity_toolset_adds_five_respond_tools_to_the_golden_files_unlisted_on_the_read_tier()
    {
        await using var readOnly = await ServerHarness.StartAsync(fixture, s => s with { Toolsets = null });
        await using var respond = await ServerHarness.StartAsync(fixture, s => s with { Toolsets = null }, ActionTier.Respond);
        string[] identity = ["revoke_user_sessions", "disable_user", "enable_user", "confirm_user_compromised", "dismiss_user_risk"];

        var readTools = (await readOnly.Client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
        var respondTools = (await respond.Client.ListToolsAsync(cancellationToken: Ct)).ToDictionary(t => t.Name);

        Assert.Empty(identity.Intersect(readTools));
        Assert.All(identity, name => Assert.Contains(name, respondTools.Keys));
        Assert.All(identity, name => Assert.False(respondTools[name].ProtocolTool.Annotations!.ReadOnlyHint));
        Assert.True(respondTools["disable_user"].ProtocolTool.Annotations!.DestructiveHint);
        Assert.False(respondTools["enable_user"].ProtocolTool.Annotations!.DestructiveHint);
    }
}
