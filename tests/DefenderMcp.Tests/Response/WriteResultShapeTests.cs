using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Golden;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

// Issue 8 item 6: every write returns a typed, snake_case result shaped for a model, never Defender's raw body.
// Its own emulator, whose actions stay pending (the cancel must find its action not yet final, even under load):
// every write tool really runs here.
public sealed class WriteResultShapeTests(PendingActionsEmulatorFixture fixture) : IClassFixture<PendingActionsEmulatorFixture>
{
    private Task<ServerHarness> RespondAsync() => ServerHarness.StartAsync(
        fixture.Emulator,
        s => s with { Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { AllowOffboard = true, MaxActionsPerHour = 100 } })] },
        ActionTier.Respond,
        ConfirmationMode.None);

    private static async Task<List<string>> DevicesAsync(ServerHarness server, string prefix, int count) =>
        [.. (await server.CallOkAsync("list_devices", new() { ["name_prefix"] = prefix, ["limit"] = count })).GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()!)];

    [Fact]
    public async Task Every_write_and_list_indicators_return_typed_snake_case_results_without_odata_keys()
    {
        await using var server = await RespondAsync();
        var devices = (await DevicesAsync(server, "ctso-", 100)).Where(d => d.Contains("-lt-", StringComparison.Ordinal) || d.Contains("-ws-", StringComparison.Ordinal)).Take(6).ToList();
        var alert = (await server.CallOkAsync("list_alerts", new() { ["limit"] = 1 })).GetProperty("alerts")[0].GetProperty("id").GetString();
        var results = new Dictionary<string, JsonElement>();
        async Task<JsonElement> Run(string tool, Dictionary<string, object?> args) => results[tool] = await server.CallOkAsync(tool, args);

        await Run("update_incident", new() { ["incident_id"] = "4303", ["status"] = "active", ["assigned_to"] = "ann@contoso.com", ["custom_tags"] = new[] { "shape" } });
        await Run("add_incident_comment", new() { ["incident_id"] = "4303", ["comment"] = "Looked at it" });
        await Run("update_alert", new() { ["alert_id"] = alert, ["status"] = "inProgress", ["classification"] = "truePositive" });
        var indicator = await Run("add_indicator", new() { ["indicator_type"] = "DomainName", ["value"] = "shape-test.example", ["action"] = "Audit", ["title"] = "t", ["description"] = "d", ["expiration"] = "2030-01-01T00:00:00Z" });
        var imported = await Run("import_indicators", new() { ["indicators"] = new[] { new Dictionary<string, string> { ["indicator_type"] = "IpAddress", ["value"] = "203.0.113.9", ["action"] = "Block", ["title"] = "t", ["description"] = "d" } } });
        var listed = await Run("list_indicators", new() { ["limit"] = 100 });
        await Run("undo_action", new() { ["indicator_id"] = imported.GetProperty("indicators")[0].GetProperty("id").GetString() });
        await Run("remove_indicators", new() { ["indicator_ids"] = new[] { indicator.GetProperty("indicator").GetProperty("id").GetString() } });
        var rule = await Run("create_detection_rule", new() { ["display_name"] = "Shape rule", ["query"] = "DeviceInfo | take 1", ["frequency"] = "PT1H", ["alert_title"] = "Shape", ["severity"] = "low", ["tactic"] = "Execution" });
        var ruleId = rule.GetProperty("rule").GetProperty("id").GetString();
        await Run("update_detection_rule", new() { ["rule_id"] = ruleId, ["display_name"] = "Shape rule 2", ["severity"] = "medium" });
        await Run("delete_detection_rule", new() { ["rule_id"] = ruleId });
        var isolate = await Run("isolate_device", new() { ["device"] = devices[0], ["comment"] = "contain", ["isolation_type"] = "Selective" });
        await Run("release_device", new() { ["device"] = devices[0], ["comment"] = "clean" });
        await Run("restrict_app_execution", new() { ["device"] = devices[1], ["comment"] = "contain" });
        await Run("remove_app_restriction", new() { ["device"] = devices[1], ["comment"] = "clean" });
        await Run("run_antivirus_scan", new() { ["device"] = devices[2], ["comment"] = "sweep" });
        var collect = await Run("collect_investigation_package", new() { ["device"] = devices[3], ["comment"] = "IR" });
        await Run("cancel_machine_action", new() { ["action_id"] = collect.GetProperty("action_id").GetString(), ["comment"] = "not needed" });
        await Run("stop_and_quarantine_file", new() { ["device"] = devices[4], ["sha1"] = "3395856ce81f2b7382dee72602f798b642f14140", ["comment"] = "payload" });
        await Run("offboard_device", new() { ["device"] = devices[5], ["comment"] = "retire" });
        foreach (var identity in new[] { "revoke_user_sessions", "disable_user", "enable_user", "confirm_user_compromised", "dismiss_user_risk" })
        {
            await Run(identity, new() { ["user"] = "megan.bowen@contoso.com" });
        }

        var writes = (await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken))
            .Where(t => t.ProtocolTool.Annotations?.ReadOnlyHint == false && t.Name != "schedule_hunt" && t.Name != "unschedule_hunt")
            .Select(t => t.Name);
        Assert.Equal([.. writes.Append("list_indicators").Order(StringComparer.Ordinal)], results.Keys.Order(StringComparer.Ordinal));
        foreach (var (tool, result) in results)
        {
            AssertModelShaped(tool, result);
            if (tool != "list_indicators")
            {
                Assert.True(result.GetProperty("done").GetBoolean(), tool);
                Assert.Equal("contoso", result.GetProperty("tenant").GetString());
                Assert.False(string.IsNullOrEmpty(result.GetProperty("action").GetString()), tool);
                Assert.False(string.IsNullOrEmpty(result.GetProperty("target").GetProperty("id").GetString()), tool);
                Assert.False(result.TryGetProperty("response", out _), tool);
            }
        }

        // Machine actions: the id no longer hides at response.id.
        Assert.Matches("^[0-9a-f-]{36}$", isolate.GetProperty("action_id").GetString()!);
        Assert.Equal(("Pending", "Isolate"), (isolate.GetProperty("status").GetString(), isolate.GetProperty("type").GetString()));
        Assert.True(isolate.GetProperty("requested_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(("Cancelled", "CollectInvestigationPackage"), (results["cancel_machine_action"].GetProperty("status").GetString(), results["cancel_machine_action"].GetProperty("type").GetString()));
        Assert.Equal("Offboard", results["offboard_device"].GetProperty("type").GetString());

        // Updates: only the fields that changed, by parameter name, as Defender now has them.
        Assert.Equal(["status", "assigned_to", "custom_tags"], results["update_incident"].GetProperty("changes").EnumerateObject().Select(p => p.Name));
        Assert.Equal("ann@contoso.com", results["update_incident"].GetProperty("changes").GetProperty("assigned_to").GetString());
        Assert.Equal(["status", "classification"], results["update_alert"].GetProperty("changes").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["display_name", "severity"], results["update_detection_rule"].GetProperty("changes").EnumerateObject().Select(p => p.Name));
        Assert.Equal("medium", results["update_detection_rule"].GetProperty("changes").GetProperty("severity").GetString());

        // Indicators: id, value, type, action, expires_at; Audit was sent with generateAlert true (the client's rule).
        var stored = indicator.GetProperty("indicator");
        Assert.Equal(("shape-test.example", "DomainName", "Audit"), (stored.GetProperty("value").GetString(), stored.GetProperty("type").GetString(), stored.GetProperty("action").GetString()));
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), stored.GetProperty("expires_at").GetDateTimeOffset());
        Assert.False(imported.GetProperty("indicators")[0].GetProperty("failed").GetBoolean());
        Assert.Equal([stored.GetProperty("id").GetString()], results["remove_indicators"].GetProperty("deleted_ids").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal([ruleId], results["delete_detection_rule"].GetProperty("deleted_ids").EnumerateArray().Select(i => i.GetString()));

        // list_indicators is shaped like every other read.
        var audit = listed.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("value").GetString() == "shape-test.example");
        Assert.Equal(("DomainName", "Audit", true), (audit.GetProperty("type").GetString(), audit.GetProperty("action").GetString(), audit.GetProperty("generate_alert").GetBoolean()));
        Assert.Equal(listed.GetProperty("count").GetInt32(), listed.GetProperty("indicators").GetArrayLength());

        // The audit line records the created action's id.
        Assert.Contains(server.AuditLines(), l => l.TryGetProperty("action_id", out var id) && id.GetString() == isolate.GetProperty("action_id").GetString());
    }

    // Intended change to the golden dry-run previews: import_indicators items now carry generateAlert, decided by the
    // client's rule (true for Audit), where before they left it out and an Audit import was refused by Defender.
    [Fact]
    public async Task Import_previews_carry_generateAlert_from_the_clients_rule()
    {
        await using var server = await RespondAsync();

        var preview = await server.CallOkAsync("import_indicators", new()
        {
            ["dry_run"] = true,
            ["indicators"] = new[]
            {
                new Dictionary<string, string> { ["indicator_type"] = "IpAddress", ["value"] = "203.0.113.10", ["action"] = "Audit", ["title"] = "t", ["description"] = "d" },
                new Dictionary<string, string> { ["indicator_type"] = "IpAddress", ["value"] = "203.0.113.11", ["action"] = "Block", ["title"] = "t", ["description"] = "d" },
            },
        });

        var items = preview.GetProperty("request").GetProperty("body").GetProperty("Indicators");
        Assert.True(items[0].GetProperty("generateAlert").GetBoolean());
        Assert.False(items[1].GetProperty("generateAlert").GetBoolean());
    }

    [Fact]
    public async Task A_machine_action_comment_over_1000_characters_is_refused_before_anything_is_sent()
    {
        await using var server = await RespondAsync();
        var device = (await DevicesAsync(server, "ctso-sales-lt", 1))[0];

        var longest = await server.CallOkAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = new string('c', 1000), ["dry_run"] = true });
        var tooLong = await server.CallErrorAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = new string('c', 1001), ["dry_run"] = true });

        Assert.Equal(1000, longest.GetProperty("comment").GetString()!.Length);
        Assert.Equal("invalid_input", tooLong.Code);
    }

    // Intended change to the golden tools/list: the output schemas of every write tool come from the typed WriteResult
    // (no raw "response"; action_id, changes, indicator ...), and list_indicators advertises typed snake_case items.
    // Input schemas, names and annotations are unchanged.
    [Fact]
    public async Task Write_tools_and_list_indicators_advertise_the_typed_result_schemas()
    {
        await using var server = await RespondAsync();
        var tools = (await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).ToDictionary(t => t.Name, t => t.ProtocolTool);

        foreach (var name in new[] { "isolate_device", "cancel_machine_action", "update_incident", "update_alert", "add_incident_comment", "add_indicator", "import_indicators", "remove_indicators", "create_detection_rule", "update_detection_rule", "delete_detection_rule" })
        {
            var properties = tools[name].OutputSchema!.Value.GetProperty("$defs").GetProperty("result").GetProperty("properties");
            Assert.False(properties.TryGetProperty("response", out _), name);
            Assert.True(properties.TryGetProperty("action_id", out _) && properties.TryGetProperty("changes", out _) && properties.TryGetProperty("indicator", out _), name);
        }

        var item = tools["list_indicators"].OutputSchema!.Value.GetProperty("$defs").GetProperty("result").GetProperty("properties").GetProperty("indicators").GetProperty("items").GetProperty("properties");
        Assert.Equal(["id", "value", "type", "action", "severity", "title", "description", "expires_at", "created_at", "created_by", "generate_alert"], item.EnumerateObject().Select(p => p.Name));
    }

    private static void AssertModelShaped(string tool, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.False(property.Name.StartsWith("@odata", StringComparison.Ordinal), $"{tool}: {property.Name}");
                    Assert.True(property.Name == property.Name.ToLowerInvariant(), $"{tool}: '{property.Name}' is not snake_case");
                    AssertModelShaped(tool, property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertModelShaped(tool, item);
                }

                break;
        }
    }
}
