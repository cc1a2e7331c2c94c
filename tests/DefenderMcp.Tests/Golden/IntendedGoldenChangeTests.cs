using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Golden;

// Each intended change of the golden files (tools-list.json, dry-run-previews.json), named and pinned on its own.
public sealed class IntendedGoldenChangeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private async Task<JsonElement> InputSchemaAsync(string tool, bool output = false)
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond);
        var tools = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var protocol = tools.Single(t => t.Name == tool).ProtocolTool;
        return output ? protocol.OutputSchema!.Value : protocol.InputSchema;
    }

    private static IEnumerable<string> Names(JsonElement schema) => schema.GetProperty("properties").EnumerateObject().Select(p => p.Name);

    private static IEnumerable<string?> Enum(JsonElement schema, string property) =>
        schema.GetProperty("properties").GetProperty(property).GetProperty("enum").EnumerateArray().Select(e => e.GetString());

    // mcp-defender-xdr (and the Defender for Endpoint hunting API) key a result's columns Name and Type; ours were
    // name and type. Every hunting output shares the column record, so all of them changed together.
    [Fact]
    public async Task Hunting_columns_are_keyed_Name_and_Type_as_the_seed_server_returns_them()
    {
        foreach (var (tool, property) in new[] { ("query_advanced_hunting", "schema"), ("get_hunting_results", "schema"), ("get_hunting_schema", "columns") })
        {
            var output = await InputSchemaAsync(tool, output: true);
            // A fan-out tool's output schema holds the one-tenant result under $defs.
            var result = output.TryGetProperty("$defs", out var defs) ? defs.GetProperty("result") : output;
            var columns = result.GetProperty("properties").GetProperty(property);
            var column = (columns.TryGetProperty("anyOf", out var nullable) ? nullable[0] : columns).GetProperty("items");
            Assert.Equal(["Name", "Type"], Names(column));
        }
    }

    [Fact]
    public async Task Detection_rule_tools_take_an_iso_8601_frequency_and_a_tactic_instead_of_the_removed_period_and_category()
    {
        var create = await InputSchemaAsync("create_detection_rule");
        var update = await InputSchemaAsync("update_detection_rule");

        Assert.Equal(["PT1H", "PT3H", "PT12H", "P1D"], Enum(create, "frequency"));
        Assert.Equal(["PT1H", "PT3H", "PT12H", "P1D"], Enum(update, "frequency"));
        Assert.Contains("Execution", Enum(create, "tactic"));
        Assert.Contains("rule_id", Names(create));
        Assert.Contains("recommended_actions", Names(create));
        Assert.DoesNotContain("period", Names(create));
        Assert.DoesNotContain("category", Names(create));
        Assert.DoesNotContain("period", Names(update));
        Assert.Equal(["display_name", "query", "frequency", "alert_title", "severity"], create.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_written_rule_is_reported_with_status_and_frequency_instead_of_enabled_and_period()
    {
        var output = (await InputSchemaAsync("create_detection_rule", output: true)).GetRawText();

        Assert.Contains("\"frequency\"", output, StringComparison.Ordinal);
        Assert.Contains("\"status\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"period\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indicator_tools_offer_only_the_current_actions_and_add_indicator_takes_generate_alert()
    {
        var add = await InputSchemaAsync("add_indicator");
        var import = await InputSchemaAsync("import_indicators");

        Assert.Equal(["Allowed", "Audit", "Block", "BlockAndRemediate", "Warn"], Enum(add, "action"));
        Assert.Equal(["Allowed", "Audit", "Block", "BlockAndRemediate", "Warn"], import.GetProperty("properties").GetProperty("indicators").GetProperty("items").GetProperty("properties").GetProperty("action").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("generate_alert", Names(add));
    }

    [Fact]
    public async Task Update_incident_offers_only_the_settable_statuses()
    {
        Assert.Equal(["active", "resolved", "redirected"], Enum(await InputSchemaAsync("update_incident"), "status"));
    }

    [Fact]
    public async Task Update_incident_no_longer_offers_an_empty_assignee_to_unassign_which_it_always_refused()
    {
        var assignee = (await InputSchemaAsync("update_incident")).GetProperty("properties").GetProperty("assigned_to");
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond);

        var (code, message) = await server.CallErrorAsync("update_incident", new() { ["incident_id"] = "4305", ["assigned_to"] = "", ["dry_run"] = true });

        Assert.Equal("Assignee (UPN).", assignee.GetProperty("description").GetString());
        Assert.Equal("invalid_input", code);
        Assert.Contains("assigned_to", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retired_indicator_action_is_refused_naming_its_replacement()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond);

        var (code, message) = await server.CallErrorAsync("add_indicator", new() { ["indicator_type"] = "DomainName", ["value"] = "evil.example.com", ["action"] = "AlertAndBlock", ["title"] = "t", ["description"] = "d", ["dry_run"] = true });
        var (importCode, importMessage) = await server.CallErrorAsync("import_indicators", new() { ["indicators"] = new[] { new Dictionary<string, string> { ["indicator_type"] = "DomainName", ["value"] = "evil.example.com", ["action"] = "Alert", ["title"] = "t", ["description"] = "d" } }, ["dry_run"] = true });

        Assert.Equal("invalid_input", code);
        Assert.Contains("use Block with generate_alert: true", message, StringComparison.Ordinal);
        Assert.Equal("invalid_input", importCode);
        Assert.Contains("use Audit", importMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_actions_take_devices_as_well_as_device_and_report_per_device_outcomes()
    {
        foreach (var tool in new[] { "isolate_device", "release_device", "restrict_app_execution", "remove_app_restriction", "run_antivirus_scan", "collect_investigation_package", "stop_and_quarantine_file", "offboard_device" })
        {
            var input = await InputSchemaAsync(tool);
            var output = (await InputSchemaAsync(tool, output: true)).GetRawText();

            Assert.Contains("devices", Names(input));
            Assert.Equal(25, input.GetProperty("properties").GetProperty("devices").GetProperty("maxItems").GetInt32());
            Assert.DoesNotContain("device", input.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
            Assert.Contains("\"targets\"", output, StringComparison.Ordinal);
            Assert.Contains("\"refused\"", output, StringComparison.Ordinal);
        }
    }

    // A query can name a column anything (project ['a b']=1): the identifier pattern refused real columns, so the items
    // keep only their length cap and are matched against the result's own columns.
    [Fact]
    public async Task Get_hunting_results_columns_cap_the_length_but_have_no_name_pattern()
    {
        var items = (await InputSchemaAsync("get_hunting_results")).GetProperty("properties").GetProperty("columns").GetProperty("items");

        Assert.Equal(128, items.GetProperty("maxLength").GetInt32());
        Assert.False(items.TryGetProperty("pattern", out _));
    }

    [Fact]
    public async Task Remove_indicators_advertises_the_numeric_id_pattern_it_always_enforced()
    {
        var input = await InputSchemaAsync("remove_indicators");

        Assert.Equal("^[0-9]{1,20}$", input.GetProperty("properties").GetProperty("indicator_ids").GetProperty("items").GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task Action_id_advertises_the_guid_pattern_the_server_always_required_and_devices_items_the_device_pattern()
    {
        const string Guid = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
        foreach (var tool in new[] { "cancel_machine_action", "get_machine_action", "get_investigation_package_uri" })
        {
            Assert.Equal(Guid, (await InputSchemaAsync(tool)).GetProperty("properties").GetProperty("action_id").GetProperty("pattern").GetString());
        }

        var isolate = (await InputSchemaAsync("isolate_device")).GetProperty("properties");
        Assert.Equal(isolate.GetProperty("device").GetProperty("pattern").GetString(), isolate.GetProperty("devices").GetProperty("items").GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task List_vulnerabilities_advertises_the_software_id_rule_the_client_always_enforced()
    {
        // The schema used to accept a vendor ending in '-' (microsoft--_-office) that the client then refused.
        var software = (await InputSchemaAsync("list_vulnerabilities")).GetProperty("properties").GetProperty("software");
        var schema = Json.Schema.JsonSchema.Build(software, baseUri: new Uri($"https://defender-mcp.test/software/{Guid.NewGuid():N}"));

        Assert.Equal("^[A-Za-z0-9][A-Za-z0-9._+]*(-[A-Za-z0-9._+]+)*-_-[A-Za-z0-9][A-Za-z0-9._+-]*$", software.GetProperty("pattern").GetString());
        foreach (var id in new[] { "microsoft-_-office", "microsoft--_-office", "eclipse-foundation-_-jetty", "-_-office" })
        {
            Assert.Equal(DefenderMcp.Client.DefenderClient.IsSoftwareId(id), schema.Evaluate(JsonSerializer.SerializeToElement(id)).IsValid);
        }
    }

    [Fact]
    public async Task Identity_tools_advertise_the_user_rule_the_server_always_enforced_and_undo_action_the_guid_action_id()
    {
        // user was a bare string of up to 367 characters; the server always required a GUID or a UPN of at most 320.
        foreach (var tool in new[] { "revoke_user_sessions", "disable_user", "enable_user", "confirm_user_compromised", "dismiss_user_risk" })
        {
            var user = (await InputSchemaAsync(tool)).GetProperty("properties").GetProperty("user");
            Assert.Equal(320, user.GetProperty("maxLength").GetInt32());
            Assert.Equal(DefenderMcp.Areas.Identity.UserArguments.User.Pattern, user.GetProperty("pattern").GetString());
        }

        // undo_action's action_id allowed any 36 hex digits and hyphens; the server always required a GUID.
        var undo = (await InputSchemaAsync("undo_action")).GetProperty("properties");
        Assert.Equal("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", undo.GetProperty("action_id").GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task Undo_action_is_a_respond_write_that_takes_an_action_id_or_an_indicator_id()
    {
        var input = await InputSchemaAsync("undo_action");

        Assert.Equal(["action_id", "indicator_id", "comment", "tenant", "dry_run", "confirmation_token"], Names(input));
        Assert.False(input.TryGetProperty("required", out _));
    }

    [Fact]
    public async Task Live_response_tools_list_required_parameters_in_property_order_and_take_a_guid_action_id_and_a_required_command_index()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.LiveResponse);
        var tools = (await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).ToDictionary(t => t.Name, t => t.ProtocolTool.InputSchema);
        IEnumerable<string?> Required(string tool) => tools[tool].GetProperty("required").EnumerateArray().Select(e => e.GetString());

        Assert.Equal(["script", "device"], Required("run_live_response_script"));
        Assert.Equal(["path", "device"], Required("live_response_get_file"));
        Assert.Equal(["file", "device"], Required("live_response_put_file"));
        Assert.Equal(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            tools["get_live_response_result"].GetProperty("properties").GetProperty("action_id").GetProperty("pattern").GetString());

        // command_index was always listed as required; now the server requires it too instead of taking 0.
        var (code, message) = await server.CallErrorAsync("get_live_response_result", new() { ["action_id"] = "7f2d1c3e-1b2a-4c5d-9e8f-0a1b2c3d4e5f" });
        Assert.Equal("invalid_input", code);
        Assert.Contains("command_index", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_device_reports_isolation_and_app_restriction_and_device_takes_a_short_host_name()
    {
        var output = (await InputSchemaAsync("get_device", output: true)).GetProperty("$defs").GetProperty("result");
        var input = await InputSchemaAsync("isolate_device");

        Assert.Contains("isolation", Names(output));
        Assert.Contains("app_restriction", Names(output));
        Assert.Contains("short host name", input.GetProperty("properties").GetProperty("device").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    // The live-response tier gains the library's writes: upload from the configured folder (its preview is the
    // multipart form with the file by name, size and SHA-256) and delete, both live_response-tier and destructive.
    [Fact]
    public async Task The_library_upload_and_delete_tools_are_live_response_writes_with_a_multipart_preview()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.LiveResponse);
        var tools = (await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).ToDictionary(t => t.Name, t => t.ProtocolTool);
        var folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Golden");
        var previews = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "dry-run-previews.json"))).RootElement;

        Assert.Equal(["path", "description", "parameters_description", "override", "tenant", "dry_run", "confirmation_token"], Names(tools["upload_library_file"].InputSchema));
        Assert.Equal(["file", "tenant", "dry_run", "confirmation_token"], Names(tools["delete_library_file"].InputSchema));
        Assert.All(new[] { "upload_library_file", "delete_library_file" }, t => Assert.Equal((false, true), (tools[t].Annotations!.ReadOnlyHint, tools[t].Annotations!.DestructiveHint)));
        var upload = previews.GetProperty("upload_library_file").GetProperty("request");
        Assert.Equal(("POST", "https://emulator/api/libraryfiles"), (upload.GetProperty("method").GetString(), upload.GetProperty("url").GetString()));
        Assert.Equal(
            ["file", "Description", "ParametersDescription", "HasParameters", "OverrideIfExists"],
            upload.GetProperty("body").GetProperty("multipart/form-data").EnumerateObject().Select(p => p.Name));
        Assert.Equal("DELETE", previews.GetProperty("delete_library_file").GetProperty("request").GetProperty("method").GetString());
    }

    // Each live-response command in a result carries result_id (a script's whole output in the result cache), and
    // run_live_response_script says to page it with get_hunting_results.
    [Fact]
    public async Task Live_response_commands_carry_a_result_id_to_page_the_whole_script_output()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.LiveResponse);
        var tools = (await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).ToDictionary(t => t.Name, t => t.ProtocolTool);

        foreach (var tool in new[] { "run_live_response_script", "get_live_response_result" })
        {
            var text = tools[tool].OutputSchema!.Value.GetRawText();
            Assert.Contains("\"result_id\"", text, StringComparison.Ordinal);
        }

        Assert.Contains("get_hunting_results", tools["run_live_response_script"].Description, StringComparison.Ordinal);
    }

    // remove_indicators (and undo_action of an indicator) showed bare ids to the person confirming, and an unknown id
    // was refused by Defender (404 for the whole batch) only after the confirmation and the budget were spent. The
    // preview now names each indicator (type, value, action, title, id), and an unknown id is not_found before anything.
    [Fact]
    public async Task Remove_indicators_names_each_indicator_and_refuses_an_unknown_id_before_confirmation()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var id = (await server.CallOkAsync("add_indicator", new() { ["indicator_type"] = "DomainName", ["value"] = "named-on-removal.example", ["action"] = "Block", ["title"] = "named", ["description"] = "d" })).GetProperty("indicator").GetProperty("id").GetString()!;
        var deletesBefore = (await fixture.Control.GetRequestsAsync(TestContext.Current.CancellationToken)).Count(r => r.Path.Contains("/api/indicators/", StringComparison.Ordinal) && r.Method is "POST" or "DELETE");

        var preview = await server.CallOkAsync("remove_indicators", new() { ["indicator_ids"] = new[] { id }, ["dry_run"] = true });
        var unknown = await server.CallErrorAsync("remove_indicators", new() { ["indicator_ids"] = new[] { id, "987654" } });
        var undoUnknown = await server.CallErrorAsync("undo_action", new() { ["indicator_id"] = "987654", ["dry_run"] = true });

        Assert.Equal($"DomainName named-on-removal.example (Block, \"named\", id {id})", preview.GetProperty("target").GetProperty("name").GetString());
        Assert.Equal(("not_found", "No indicator with id 987654 in tenant 'contoso'; nothing was sent. list_indicators shows the indicators and their ids."), unknown);
        Assert.Equal("not_found", undoUnknown.Code);
        Assert.Equal(deletesBefore, (await fixture.Control.GetRequestsAsync(TestContext.Current.CancellationToken)).Count(r => r.Path.Contains("/api/indicators/", StringComparison.Ordinal) && r.Method is "POST" or "DELETE"));
    }

    // The confirmation of an import said "2 indicators", of a rule update "Update custom detection rule": a person could
    // not see an Allowed hash among Blocks, or a rule being disabled. The previews now name each imported indicator,
    // the created rule's state, schedule, severity and query, and the fields an update sets.
    [Fact]
    public async Task Import_and_rule_previews_name_what_they_do()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var rule = await server.CallOkAsync("create_detection_rule", new() { ["display_name"] = "Preview rule", ["query"] = "DeviceInfo | take 1", ["frequency"] = "PT1H", ["alert_title"] = "t", ["severity"] = "low", ["dry_run"] = true });
        var import = await server.CallOkAsync("import_indicators", new()
        {
            ["indicators"] = new[]
            {
                new Dictionary<string, string> { ["indicator_type"] = "FileSha1", ["value"] = "3395856ce81f2b7382dee72602f798b642f14140", ["action"] = "Allowed", ["title"] = "t", ["description"] = "d" },
                new Dictionary<string, string> { ["indicator_type"] = "DomainName", ["value"] = "bad.example", ["action"] = "Block", ["title"] = "t", ["description"] = "d" },
            },
            ["dry_run"] = true,
        });
        var ruleId = (await server.CallOkAsync("create_detection_rule", new() { ["display_name"] = "Preview update", ["query"] = "DeviceInfo | take 1", ["frequency"] = "PT1H", ["alert_title"] = "t", ["severity"] = "low" })).GetProperty("rule").GetProperty("id").GetString();
        var update = await server.CallOkAsync("update_detection_rule", new() { ["rule_id"] = ruleId, ["enabled"] = false, ["dry_run"] = true });

        Assert.Equal("Create custom detection rule (enabled, every PT1H, severity low; query: DeviceInfo | take 1)", rule.GetProperty("action").GetString());
        Assert.Equal("Allowed FileSha1 3395856ce81f2b7382dee72602f798b642f14140; Block DomainName bad.example", import.GetProperty("target").GetProperty("name").GetString());
        Assert.Equal("Update custom detection rule (status=\"disabled\")", update.GetProperty("action").GetString());
    }

    // An IPv4 octet with a leading zero reads as octal (185.220.101.047 is .39), so every ip parameter says it is refused.
    [Fact]
    public async Task The_ip_parameter_says_ipv4_octets_have_no_leading_zeros()
    {
        var schema = await InputSchemaAsync("get_ip_info");
        Assert.Contains("no leading zeros", schema.GetProperty("properties").GetProperty("ip").GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
