using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol;

namespace DefenderMcp.Tests.Response;

// Its own emulator: these tests change machine and incident state and inject faults.
public sealed class ResponseActionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static McpClientOptions Eliciting(string action, List<string>? messages = null) => new()
    {
        Handlers = new McpClientHandlers
        {
            ElicitationHandler = (request, _) =>
            {
                messages?.Add(request?.Message ?? string.Empty);
                return ValueTask.FromResult(new ElicitResult
                {
                    Action = action,
                    Content = action == "accept" ? new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(true) } : null,
                });
            },
        },
    };

    private async Task<string> DeviceAsync(ServerHarness server, string prefix)
    {
        var devices = await server.CallOkAsync("list_devices", new() { ["name_prefix"] = prefix, ["limit"] = 1 });
        return devices.GetProperty("devices")[0].GetProperty("name").GetString()!;
    }

    private async Task<int> PostsAsync(string pathPart) =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.Contains(pathPart, StringComparison.Ordinal));

    [Fact]
    public async Task Accepted_elicitation_sends_exactly_one_action_and_audits_it()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Eliciting("accept", messages));
        var device = await DeviceAsync(server, "ctso-hr-lt");
        var before = await PostsAsync("/isolate");

        var result = await server.CallOkAsync("isolate_device", new() { ["device"] = device, ["comment"] = "Contain phishing victim", ["isolation_type"] = "Selective" });

        Assert.Equal(before + 1, await PostsAsync("/isolate"));
        var actionId = result.GetProperty("action_id").GetString();
        Assert.Equal(("Pending", "Isolate"), (result.GetProperty("status").GetString(), result.GetProperty("type").GetString()));
        Assert.False(result.TryGetProperty("response", out _));
        var message = Assert.Single(messages);
        Assert.Contains("Isolate a device (Selective)", message, StringComparison.Ordinal);
        Assert.Contains("contoso", message, StringComparison.Ordinal);
        Assert.Contains(device, message, StringComparison.Ordinal);
        Assert.Contains("Contain phishing victim", message, StringComparison.Ordinal);
        var audit = server.AuditLines().Last();
        Assert.Equal("elicitation_accepted", audit.GetProperty("confirmation").GetString());
        Assert.Equal("allowed", audit.GetProperty("policy_decision").GetString());
        Assert.Equal(actionId, audit.GetProperty("action_id").GetString());
        var machine = await server.CallOkAsync("get_device", new() { ["device"] = device });
        Assert.Equal(device, machine.GetProperty("device").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("decline")]
    [InlineData("cancel")]
    public async Task Declined_elicitation_sends_nothing(string answer)
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Eliciting(answer));
        var device = await DeviceAsync(server, "ctso-eng-ws");
        var before = await PostsAsync("/runAntiVirusScan");

        var (code, message) = await server.CallErrorAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = "scan" });

        Assert.Equal("cancelled_by_user", code);
        Assert.Contains("Cancelled by user", message, StringComparison.Ordinal);
        Assert.Equal(before, await PostsAsync("/runAntiVirusScan"));
        Assert.Equal("elicitation_declined", server.AuditLines().Last().GetProperty("confirmation").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("""{"confirm":null}""")]
    [InlineData("""{"confirm":0}""")]
    [InlineData("""{"confirm":"false"}""")]
    [InlineData("""{"confirm":"true"}""")]
    [InlineData("""{"confirm":false}""")]
    public async Task An_accepted_form_without_the_box_ticked_sends_nothing(string? content)
    {
        // An accept with the box left unticked (or missing) used to count as a yes and run the action.
        string? schemaRequired = null;
        var options = new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    schemaRequired = string.Join(",", request?.RequestedSchema?.Required ?? []);
                    return ValueTask.FromResult(new ElicitResult
                    {
                        Action = "accept",
                        Content = content is null ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(content),
                    });
                },
            },
        };
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: options);
        var device = await DeviceAsync(server, "ctso-eng-ws");
        var before = await PostsAsync("/runAntiVirusScan");

        var (code, _) = await server.CallErrorAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = "scan" });

        Assert.Equal("cancelled_by_user", code);
        Assert.Equal("confirm", schemaRequired);
        Assert.Equal(before, await PostsAsync("/runAntiVirusScan"));
        Assert.Equal("elicitation_declined", server.AuditLines().Last().GetProperty("confirmation").GetString());
    }

    [Fact]
    public async Task An_unanswered_confirmation_ends_when_a_token_would_expire_sends_nothing_and_cancels_the_dialog()
    {
        var dialogClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A client of a revision before 2026-07-28 holds the call open while its dialog is shown; the server withdraws it.
        var options = new McpClientOptions
        {
            ProtocolVersion = "2025-06-18",
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = async (_, cancellationToken) =>
                {
                    // A person who never answers: the dialog stays open until the server withdraws it.
                    await using (cancellationToken.Register(() => dialogClosed.TrySetResult()))
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                    }

                    return new ElicitResult { Action = "accept" };
                },
            },
        };
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { ConfirmationTokenLifetime = TimeSpan.FromSeconds(2) }, ActionTier.Respond, clientOptions: options);
        var device = await DeviceAsync(server, "ctso-eng-ws");
        var before = await PostsAsync("/collectInvestigationPackage");

        var (code, message) = await server.CallErrorAsync("collect_investigation_package", new() { ["device"] = device, ["comment"] = "nobody answers" });

        Assert.Equal("confirmation_required", code);
        Assert.Contains("Nobody answered the confirmation within 2 s", message, StringComparison.Ordinal);
        Assert.Equal(before, await PostsAsync("/collectInvestigationPackage"));
        Assert.Equal("elicitation_unanswered", server.AuditLines().Last().GetProperty("confirmation").GetString());
        await dialogClosed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Fact]
    public async Task A_late_yes_from_a_client_that_answers_by_retrying_the_call_acts_on_nothing()
    {
        // The 2026-07-28 revision's clients answer a confirmation by sending the call again with the answer (the SDK
        // keeps the call suspended meanwhile); a yes that comes after the bound finds the call ended and sends nothing.
        var options = new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = async (_, cancellationToken) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken);
                    return new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(true) } };
                },
            },
        };
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { ConfirmationTokenLifetime = TimeSpan.FromSeconds(2) }, ActionTier.Respond, clientOptions: options);
        var device = await DeviceAsync(server, "ctso-eng-ws");
        var before = await PostsAsync("/collectInvestigationPackage");

        var (code, message) = await server.CallErrorAsync("collect_investigation_package", new() { ["device"] = device, ["comment"] = "a late yes" });

        Assert.Equal("confirmation_required", code);
        Assert.Contains("Nobody answered the confirmation within 2 s", message, StringComparison.Ordinal);
        Assert.Equal(before, await PostsAsync("/collectInvestigationPackage"));
        Assert.Equal("elicitation_unanswered", server.AuditLines().Last().GetProperty("confirmation").GetString());
    }

    [Fact]
    public async Task Cancelling_a_finished_action_is_refused_before_any_confirmation_and_sends_nothing()
    {
        var asked = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Eliciting("accept", asked));
        var device = await DeviceAsync(server, "ctso-fin-lt");
        var scan = await server.CallOkAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = "scan to cancel" });
        var id = scan.GetProperty("action_id").GetString()!;
        await server.CallOkAsync("cancel_machine_action", new() { ["action_id"] = id, ["comment"] = "not needed" });
        Assert.Equal(2, asked.Count);
        var before = await PostsAsync("/cancel");

        // Now Cancelled, a final status like Succeeded, Failed and TimeOut: Defender would answer a bare 400.
        var (code, message) = await server.CallErrorAsync("cancel_machine_action", new() { ["action_id"] = id, ["comment"] = "again" });

        Assert.Equal("invalid_input", code);
        Assert.Contains($"Action {id} is Cancelled: it has finished, so there is nothing to cancel", message, StringComparison.Ordinal);
        Assert.Contains("undo_action", message, StringComparison.Ordinal);
        Assert.Equal(2, asked.Count);
        Assert.Equal(before, await PostsAsync("/cancel"));
    }

    [Fact]
    public async Task A_client_without_elicitation_is_refused_with_advice_about_tokens()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond);
        var device = await DeviceAsync(server, "ctso-sales-lt");
        var before = await PostsAsync("/restrictCodeExecution");

        var (code, message) = await server.CallErrorAsync("restrict_app_execution", new() { ["device"] = device, ["comment"] = "x" });

        Assert.Equal("confirmation_required", code);
        Assert.Contains("\"confirmation\": \"token\"", message, StringComparison.Ordinal);
        Assert.Equal(before, await PostsAsync("/restrictCodeExecution"));
    }

    [Fact]
    public async Task Token_confirmation_acts_only_on_the_identical_call_once()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.Token);
        var device = await DeviceAsync(server, "ctso-exec-lt");
        var args = new Dictionary<string, object?> { ["device"] = device, ["comment"] = "collect for IR" };
        var before = await PostsAsync("/collectInvestigationPackage");

        var preview = await server.CallOkAsync("collect_investigation_package", args);
        var token = preview.GetProperty("confirmation_token").GetString();
        Assert.Equal("confirmation_required", preview.GetProperty("status").GetString());
        Assert.Equal(before, await PostsAsync("/collectInvestigationPackage"));

        var altered = await server.CallErrorAsync("collect_investigation_package", new() { ["device"] = device, ["comment"] = "something else", ["confirmation_token"] = token });
        var wrong = await server.CallErrorAsync("collect_investigation_package", new() { ["device"] = device, ["comment"] = "collect for IR", ["confirmation_token"] = token + "0" });
        var done = await server.CallOkAsync("collect_investigation_package", new() { ["device"] = device, ["comment"] = "collect for IR", ["confirmation_token"] = token });
        var reused = await server.CallErrorAsync("collect_investigation_package", new() { ["device"] = device, ["comment"] = "collect for IR", ["confirmation_token"] = token });

        Assert.Equal("confirmation_required", altered.Code);
        Assert.Equal("confirmation_required", wrong.Code);
        Assert.True(done.GetProperty("done").GetBoolean());
        Assert.Equal("confirmation_required", reused.Code);
        Assert.Equal(before + 1, await PostsAsync("/collectInvestigationPackage"));
        Assert.Contains(server.AuditLines(), l => l.TryGetProperty("confirmation", out var c) && c.GetString() == "token");
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { ConfirmationTokenLifetime = TimeSpan.FromMilliseconds(300) }, ActionTier.Respond, ConfirmationMode.Token);
        var args = new Dictionary<string, object?> { ["incident_id"] = "4302", ["comment"] = "late" };
        var token = (await server.CallOkAsync("add_incident_comment", args)).GetProperty("confirmation_token").GetString();

        await Task.Delay(600, Ct);
        args["confirmation_token"] = token;

        Assert.Equal("confirmation_required", (await server.CallErrorAsync("add_incident_comment", args)).Code);
    }

    [Fact]
    public async Task A_read_tier_server_does_not_list_writes_and_a_read_tenant_refuses_them()
    {
        await using var readOnly = await ServerHarness.StartAsync(fixture);
        await using var mixed = await ServerHarness.StartAsync(
            fixture,
            s => s with { Tenants = [s.Tenants[0], s.Tenants[1] with { Policy = s.Tenants[1].Policy with { Actions = ActionTier.Read } }] },
            ActionTier.Respond,
            ConfirmationMode.None);

        var tools = (await readOnly.Client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
        var (code, message) = await mixed.CallErrorAsync("add_incident_comment", new() { ["incident_id"] = "7101", ["comment"] = "x", ["tenant"] = "fabrikam" });

        Assert.DoesNotContain("isolate_device", tools);
        Assert.DoesNotContain("update_incident", tools);
        Assert.Contains("list_machine_actions", tools);
        Assert.Equal("policy_denied", code);
        Assert.Contains("respond tier", message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => readOnly.CallAsync("isolate_device", new() { ["device"] = "x", ["comment"] = "y" }));
        Assert.Contains("Unknown tool", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protected_devices_are_refused_before_any_confirmation()
    {
        var messages = new List<string>();
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, clientOptions: Eliciting("accept", messages));
        var dc = await DeviceAsync(server, "ctso-dc-01");
        var before = await PostsAsync("/isolate");

        var (code, message) = await server.CallErrorAsync("isolate_device", new() { ["device"] = dc, ["comment"] = "nope" });

        Assert.Equal("policy_denied", code);
        Assert.Contains("protected", message, StringComparison.Ordinal);
        Assert.Empty(messages);
        Assert.Equal(before, await PostsAsync("/isolate"));
        Assert.Equal("denied_protected", server.AuditLines().Last().GetProperty("policy_decision").GetString());
    }

    [Fact]
    public async Task The_eleventh_action_in_an_hour_is_refused_with_the_time_it_frees_up()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var devices = await server.CallOkAsync("list_devices", new() { ["tenant"] = "fabrikam", ["limit"] = 20 });
        var names = devices.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()).ToList();

        for (var i = 0; i < 10; i++)
        {
            await server.CallOkAsync("run_antivirus_scan", new() { ["device"] = names[i], ["comment"] = $"sweep {i}", ["tenant"] = "fabrikam" });
        }

        var result = await server.CallAsync("run_antivirus_scan", new() { ["device"] = names[10], ["comment"] = "one too many", ["tenant"] = "fabrikam" });
        var error = Assert.IsType<JsonElement>(result.StructuredContent).GetProperty("error");
        var other = await server.CallOkAsync("add_incident_comment", new() { ["incident_id"] = "4301", ["comment"] = "other tenant has its own budget" });

        Assert.Equal("policy_denied", error.GetProperty("code").GetString());
        Assert.Contains("frees up", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(error.GetProperty("retry_after").GetInt32() > 3000);
        Assert.True(other.GetProperty("done").GetBoolean());
        Assert.Equal("none", server.AuditLines().Last().GetProperty("confirmation").GetString());
    }

    [Fact]
    public async Task Dry_run_resolves_the_target_and_sends_nothing()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var device = await DeviceAsync(server, "ctso-fin-lt");
        var before = await PostsAsync("/StopAndQuarantineFile");

        var preview = await server.CallOkAsync("stop_and_quarantine_file", new() { ["device"] = device, ["sha1"] = "3395856CE81F2B7382DEE72602F798B642F14140", ["comment"] = "payload", ["dry_run"] = true });

        Assert.True(preview.GetProperty("dry_run").GetBoolean());
        Assert.Equal("POST", preview.GetProperty("request").GetProperty("method").GetString());
        Assert.EndsWith($"/api/machines/{preview.GetProperty("target").GetProperty("id").GetString()}/StopAndQuarantineFile", preview.GetProperty("request").GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal("3395856ce81f2b7382dee72602f798b642f14140", preview.GetProperty("request").GetProperty("body").GetProperty("Sha1").GetString());
        Assert.Equal("payload", preview.GetProperty("request").GetProperty("body").GetProperty("Comment").GetString());
        Assert.Equal(before, await PostsAsync("/StopAndQuarantineFile"));
        Assert.Equal("dry_run", server.AuditLines().Last().GetProperty("confirmation").GetString());
    }

    [Fact]
    public async Task A_503_on_isolate_is_not_retried_and_the_reply_names_the_pending_action()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var device = await DeviceAsync(server, "ctso-srv-sql");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Count = 1, Tenant = "contoso", PathPattern = "/isolate$", AfterEffect = true }, Ct);
        var before = await PostsAsync("/isolate");
        try
        {
            var (code, message) = await server.CallErrorAsync("isolate_device", new() { ["device"] = device, ["comment"] = "contain" });
            var pending = await server.CallOkAsync("list_machine_actions", new() { ["device"] = device, ["type"] = "Isolate" });

            Assert.Equal("upstream_error", code);
            Assert.Equal(before + 1, await PostsAsync("/isolate"));
            var id = pending.GetProperty("actions")[0].GetProperty("id").GetString();
            Assert.Contains(id!, message, StringComparison.Ordinal);
            Assert.Contains("not resent", message, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }
    }

    [Fact]
    public async Task Waiting_on_a_machine_action_sends_progress_then_reports_succeeded()
    {
        // Its own emulator with actions slow enough (2.5 s to finish) that the first poll sees them unfinished even on
        // a loaded machine; the shared one finishes them in 0.5 s, sometimes before the first poll.
        await using var emulator = await DefenderMcp.Emulator.DefenderEmulator.StartAsync(
            new DefenderMcp.Emulator.EmulatorOptions { ActionPendingTime = TimeSpan.FromSeconds(1.5), ActionInProgressTime = TimeSpan.FromSeconds(1) },
            Ct);
        await using var server = await ServerHarness.StartAsync(emulator, s => s with { ActionPollInterval = TimeSpan.FromMilliseconds(100) }, ActionTier.Respond, ConfirmationMode.None);
        var device = await DeviceAsync(server, "ctso-srv-web");
        var action = await server.CallOkAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = "quick", ["scan_type"] = "Full" });
        var id = action.GetProperty("action_id").GetString();
        var progress = new List<ProgressNotificationValue>();

        var result = await server.Client.CallToolAsync("get_machine_action", new Dictionary<string, object?> { ["action_id"] = id, ["wait_seconds"] = 30 }, new SyncProgress(progress), cancellationToken: Ct);

        var structured = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.Equal("Succeeded", structured.GetProperty("action").GetProperty("status").GetString());
        Assert.Equal("Full", structured.GetProperty("action").GetProperty("scope").GetString());
        Assert.True(structured.GetProperty("final").GetBoolean());
        Assert.True(progress.Count >= 2, $"{progress.Count} progress notifications");
        Assert.Contains(progress, p => p.Message!.Contains("Pending", StringComparison.Ordinal) || p.Message.Contains("InProgress", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Incidents_are_resolved_with_a_classification_and_bad_values_are_refused()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

        var updated = await server.CallOkAsync("update_incident", new() { ["incident_id"] = "4305", ["status"] = "resolved", ["classification"] = "truePositive", ["determination"] = "malware", ["custom_tags"] = new[] { "IR-42" } });
        var incident = await server.CallOkAsync("get_incident", new() { ["incident_id"] = "4305" });

        Assert.Equal(["status", "classification", "determination", "custom_tags"], updated.GetProperty("changes").EnumerateObject().Select(p => p.Name));
        Assert.Equal("resolved", updated.GetProperty("changes").GetProperty("status").GetString());
        Assert.Contains("IR-42", updated.GetProperty("changes").GetProperty("custom_tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("resolved", "truePositive", "malware"), (incident.GetProperty("incident").GetProperty("status").GetString(), incident.GetProperty("incident").GetProperty("classification").GetString(), incident.GetProperty("incident").GetProperty("determination").GetString()));
        Assert.Contains("IR-42", incident.GetProperty("incident").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("invalid_input", (await server.CallErrorAsync("update_incident", new() { ["incident_id"] = "4305" })).Code);
        Assert.Equal("invalid_input", (await server.CallErrorAsync("update_incident", new() { ["incident_id"] = "4305", ["classification"] = "maybe" })).Code);
        Assert.Equal("not_found", (await server.CallErrorAsync("update_incident", new() { ["incident_id"] = "999", ["status"] = "resolved" })).Code);
    }

    [Fact]
    public async Task Offboarding_needs_its_own_policy_flag()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

        var (code, message) = await server.CallErrorAsync("offboard_device", new() { ["device"] = "ctso-eng-ws-018.contoso.com", ["comment"] = "retire" });

        Assert.Equal("policy_denied", code);
        Assert.Contains("allow_offboard", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indicators_are_validated_then_added()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

        var added = await server.CallOkAsync("add_indicator", new() { ["indicator_type"] = "FileSha1", ["value"] = "3395856ce81f2b7382dee72602f798b642f14140", ["action"] = "BlockAndRemediate", ["title"] = "OneDriveUpdater payload", ["description"] = "Dropped by the phishing chain" });
        var bad = await server.CallErrorAsync("add_indicator", new() { ["indicator_type"] = "IpAddress", ["value"] = "10.0.0.0/8", ["action"] = "Block", ["title"] = "t", ["description"] = "d" });

        var indicator = added.GetProperty("indicator");
        Assert.Equal(("FileSha1", "BlockAndRemediate", "3395856ce81f2b7382dee72602f798b642f14140"), (indicator.GetProperty("type").GetString(), indicator.GetProperty("action").GetString(), indicator.GetProperty("value").GetString()));
        Assert.False(string.IsNullOrEmpty(indicator.GetProperty("id").GetString()));
        Assert.Equal("invalid_input", bad.Code);
        Assert.Contains("CIDR", bad.Message, StringComparison.Ordinal);
    }

    private sealed class SyncProgress(List<ProgressNotificationValue> sink) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value)
        {
            lock (sink)
            {
                sink.Add(value);
            }
        }
    }
}
