using System.Text.Json;
using DefenderMcp.Areas.Devices;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Mcp;
using DefenderMcp.Tests.Support;
using Json.Schema;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// Every tool's actual structured output validates against the outputSchema it advertises, checked by a real JSON
/// Schema validator: one-tenant results, fan-out envelopes (with error entries) and errors, and for writes the dry
/// run, the token preview and the executed write. The schemas are exact (required properties, closed objects, the
/// envelope and the error described precisely); the first tests prove that a wrong shape is rejected.
/// Its own emulator: the cases write, one injects a fault, and machine actions stay pending long enough to cancel.
/// </summary>
public sealed class OutputSchemaTests(CancellableActionsEmulatorFixture fixture) : IClassFixture<CancellableActionsEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- The schemas can fail ----

    private static JsonSchema SchemaFor(Type resultType, bool fanOut) =>
        JsonSchema.Build(OutputSchemas.For(resultType, fanOut), baseUri: new Uri($"https://defender-mcp.test/unit/{Guid.NewGuid():N}"));

    private static string Device(string id = "m1") => JsonSerializer.Serialize(
        new DeviceOutput(id, "ws-01.contoso.com", "Windows11", "24H2", "Active", "Low", "Low", "Onboarded", "Normal", DateTimeOffset.UnixEpoch, "10.0.0.1", "Workstations", ["VIP"]),
        ToolJson.Options);

    private static string DeviceList(string tenant = "contoso") => $$"""{"tenant":"{{tenant}}","count":1,"devices":[{{Device()}}]}""";

    public static TheoryData<string> WellFormedShapes => new(
        DeviceList(),
        $$$"""{"fan_out":true,"tenants":["contoso","fabrikam"],"results":[{"tenant":"contoso","result":{{{DeviceList()}}}},{"tenant":"fabrikam","error":{"code":"permission_denied","message":"no"}}]}""",
        """{"error":{"code":"invalid_input","message":"bad"}}""",
        """{"error":{"code":"rate_limited","message":"wait","retry_after":30}}""");

    [Theory]
    [MemberData(nameof(WellFormedShapes))]
    public void Well_formed_results_envelopes_and_errors_are_accepted(string json)
    {
        var schema = SchemaFor(typeof(DeviceListOutput), fanOut: true);

        Assert.Empty(OutputSchemaProbe.Violations(schema, JsonDocument.Parse(json).RootElement));
    }

    public static TheoryData<string, string> WrongShapes => new()
    {
        { "a required property missing", $$"""{"tenant":"contoso","devices":[{{Device()}}]}""" },
        { "a property the type does not have", $$"""{"tenant":"contoso","count":1,"devices":[{{Device()}}],"odata_context":"x"}""" },
        { "a property of the wrong type", $$"""{"tenant":"contoso","count":"1","devices":[{{Device()}}]}""" },
        { "a nested item missing a property", """{"tenant":"contoso","count":1,"devices":[{"id":"m1"}]}""" },
        { "a nested item with an unknown property", $$"""{"tenant":"contoso","count":1,"devices":[{{Device().TrimEnd('}')}},"@odata.type":"x"}]}""" },
        { "a non-nullable property that is null", $$"""{"tenant":null,"count":1,"devices":[{{Device()}}]}""" },
        { "an error without a message", """{"error":{"code":"not_found"}}""" },
        { "an error with an unknown key", """{"error":{"code":"not_found","message":"m","detail":"upstream text"}}""" },
        { "an error with a negative retry_after", """{"error":{"code":"rate_limited","message":"m","retry_after":-1}}""" },
        { "an error beside a result", $$$"""{{{DeviceList().TrimEnd('}')}}},"error":{"code":"x","message":"y"}}""" },
        { "an empty object", "{}" },
        { "a fan-out entry with both a result and an error", $$$"""{"fan_out":true,"tenants":["a"],"results":[{"tenant":"a","result":{{{DeviceList("a")}}},"error":{"code":"x","message":"y"}}]}""" },
        { "a fan-out entry with neither", """{"fan_out":true,"tenants":["a"],"results":[{"tenant":"a"}]}""" },
        { "a fan-out entry without its tenant", $$"""{"fan_out":true,"tenants":["a"],"results":[{"result":{{DeviceList("a")}}}]}""" },
        { "a fan-out entry whose result is wrong", """{"fan_out":true,"tenants":["a"],"results":[{"tenant":"a","result":{"tenant":"a"}}]}""" },
        { "a fan-out envelope that says false", $$"""{"fan_out":false,"tenants":["a"],"results":[{"tenant":"a","result":{{DeviceList("a")}}}]}""" },
        { "a fan-out envelope without its tenants", $$"""{"fan_out":true,"results":[{"tenant":"a","result":{{DeviceList("a")}}}]}""" },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public void A_wrong_shape_is_rejected(string wrong, string json)
    {
        var schema = SchemaFor(typeof(DeviceListOutput), fanOut: true);

        Assert.True(OutputSchemaProbe.Violations(schema, JsonDocument.Parse(json).RootElement).Count > 0, $"accepted {wrong}");
    }

    [Fact]
    public void A_tool_that_cannot_fan_out_rejects_the_envelope()
    {
        var envelope = JsonDocument.Parse($$"""{"fan_out":true,"tenants":["a"],"results":[{"tenant":"a","result":{{DeviceList("a")}}}]}""").RootElement;

        Assert.Empty(OutputSchemaProbe.Violations(SchemaFor(typeof(DeviceListOutput), fanOut: true), envelope));
        Assert.NotEmpty(OutputSchemaProbe.Violations(SchemaFor(typeof(DeviceListOutput), fanOut: false), envelope));
    }

    public sealed record TreeOutput(string Name, IReadOnlyList<TreeOutput> Children);

    [Fact]
    public void References_inside_a_recursive_result_resolve_to_the_result()
    {
        var schema = SchemaFor(typeof(TreeOutput), fanOut: false);
        var good = JsonDocument.Parse("""{"name":"a","children":[{"name":"b","children":[{"name":"c","children":[]}]}]}""").RootElement;
        var deepWrong = JsonDocument.Parse("""{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}""").RootElement;
        var errorAsChild = JsonDocument.Parse("""{"name":"a","children":[{"error":{"code":"x","message":"y"}}]}""").RootElement;

        Assert.Empty(OutputSchemaProbe.Violations(schema, good));
        Assert.NotEmpty(OutputSchemaProbe.Violations(schema, deepWrong));
        Assert.NotEmpty(OutputSchemaProbe.Violations(schema, errorAsChild));
    }

    // ---- Every tool, through the SDK client, against the emulator ----

    private static readonly Dictionary<string, object?> UnknownArgument = new() { ["no_such_parameter"] = 1 };

    // One entry per tool: the calls that produce each kind of output it has. Writes run through WriteAsync (dry run,
    // token preview, executed); ids come from list tools, so the cases do not depend on the shape of write results.
    private static readonly Dictionary<string, Func<OutputSchemaProbe, Task>> Cases = new(StringComparer.Ordinal)
    {
        ["query_advanced_hunting"] = async p =>
        {
            await p.OkAsync(new() { ["query"] = "DeviceInfo | take 2" });
            await p.FanOutAsync(new() { ["query"] = "DeviceInfo | take 2" });
            await p.ErrorAsync(new() { ["query"] = "DeviceInfo | take 1; .drop table DeviceInfo" });
            await p.ErrorAsync(new());
        },
        ["get_hunting_results"] = async p =>
        {
            var first = await p.Server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceProcessEvents | take 250", ["max_rows"] = 10, ["timespan"] = "P30D" });
            await p.OkAsync(new() { ["result_id"] = first.GetProperty("result_id").GetString(), ["offset"] = 10, ["limit"] = 5 });
            await p.ErrorAsync(new() { ["result_id"] = "no-such-result" });
        },
        ["get_hunting_schema"] = async p =>
        {
            await p.OkAsync();
            await p.OkAsync(new() { ["table"] = "DeviceProcessEvents" });
            await p.ErrorAsync(UnknownArgument);
        },
        ["list_incidents"] = ListCases,
        ["list_alerts"] = async p =>
        {
            await ListCases(p);
            await ThrottledCasesAsync(p);
        },
        ["list_devices"] = ListCases,
        ["list_machine_actions"] = ListCases,
        ["list_indicators"] = ListCases,
        ["list_detection_rules"] = ListCases,
        ["get_incident"] = async p =>
        {
            await p.OkAsync(new() { ["incident_id"] = "4301" });
            await p.FanOutAsync(new() { ["incident_id"] = "4301" });
            await p.ErrorAsync(new() { ["incident_id"] = "999999" });
        },
        ["get_alert"] = async p =>
        {
            var alert = (await p.Server.CallOkAsync("list_alerts", new() { ["limit"] = 1 })).GetProperty("alerts")[0].GetProperty("id").GetString();
            await p.OkAsync(new() { ["alert_id"] = alert });
            await p.FanOutAsync(new() { ["alert_id"] = alert });
            await p.ErrorAsync(new() { ["alert_id"] = "da00000000000000000000000000000000" });
        },
        ["get_device"] = async p =>
        {
            var device = await p.NextDeviceAsync();
            await p.OkAsync(new() { ["device"] = device });
            await p.FanOutAsync(new() { ["device"] = device });
            await p.ErrorAsync(new() { ["device"] = "no-such-device.contoso.com" });
        },
        ["get_file_info"] = async p =>
        {
            await p.OkAsync(new() { ["hash"] = "ecb2a5847841bc1130fb401405cf8114a2b2621e" });
            await p.FanOutAsync(new() { ["hash"] = "ecb2a5847841bc1130fb401405cf8114a2b2621e" });
            await p.ErrorAsync(new() { ["hash"] = "not-a-hash" });
        },
        ["get_ip_info"] = async p =>
        {
            await p.OkAsync(new() { ["ip"] = "185.220.101.47" });
            await p.FanOutAsync(new() { ["ip"] = "185.220.101.47" });
            await p.ErrorAsync(new() { ["ip"] = "999.1.1.1" });
        },
        ["get_domain_info"] = async p =>
        {
            await p.OkAsync(new() { ["domain"] = "contoso-payroll-update.com" });
            await p.FanOutAsync(new() { ["domain"] = "contoso-payroll-update.com" });
            await p.ErrorAsync(new() { ["domain"] = "https://contoso-payroll-update.com/" });
        },
        ["get_user_info"] = async p =>
        {
            await p.OkAsync(new() { ["user"] = "adele.vance@contoso.com" });
            await p.FanOutAsync(new() { ["user"] = "adele.vance@contoso.com" });
            await p.ErrorAsync(new() { ["user"] = "adele vance" });
        },
        ["get_device_logon_users"] = async p =>
        {
            var device = await p.NextDeviceAsync();
            await p.OkAsync(new() { ["device"] = device });
            await p.FanOutAsync(new() { ["device"] = device });
            await p.ErrorAsync(new() { ["device"] = "no-such-device.contoso.com" });
        },
        ["list_vulnerabilities"] = async p =>
        {
            await p.OkAsync(new() { ["severity"] = "High", ["limit"] = 3 });
            await p.OkAsync(new() { ["device"] = "ctso-fin-lt-011.contoso.com" });
            await p.OkAsync(new() { ["software"] = "microsoft-_-office" });
            await p.FanOutAsync(new() { ["limit"] = 3 });
            await p.ErrorAsync(new() { ["severity"] = "Severe" });
        },
        ["get_vulnerability"] = async p =>
        {
            await p.OkAsync(new() { ["cve"] = "CVE-2023-36884" });
            await p.FanOutAsync(new() { ["cve"] = "CVE-2023-36884" });
            await p.ErrorAsync(new() { ["cve"] = "CVE-1999-0001" });
        },
        ["list_software"] = async p =>
        {
            await p.OkAsync(new() { ["limit"] = 3 });
            await p.OkAsync(new() { ["device"] = "ctso-srv-web-01.contoso.com" });
            await p.FanOutAsync(new() { ["limit"] = 3 });
            await p.ErrorAsync(new() { ["device"] = "no-such-device.contoso.com" });
        },
        ["list_missing_updates"] = async p =>
        {
            await p.OkAsync(new() { ["device"] = "ctso-hr-lt-088.contoso.com" });
            await p.FanOutAsync(new() { ["device"] = "ctso-hr-lt-088.contoso.com" });
            await p.ErrorAsync(new());
        },
        ["list_security_recommendations"] = async p =>
        {
            await p.OkAsync(new() { ["limit"] = 3 });
            await p.OkAsync(new() { ["device"] = "ctso-fin-lt-011.contoso.com" });
            await p.FanOutAsync(new() { ["limit"] = 3 });
            await p.ErrorAsync(new() { ["limit"] = 0 });
        },
        ["get_exposure_score"] = async p =>
        {
            await p.OkAsync();
            await p.FanOutAsync(new());
            await p.ErrorAsync(new() { ["tenant"] = "no-such-tenant" });
        },
        ["get_secure_score"] = async p =>
        {
            await p.OkAsync(new() { ["limit"] = 2 });
            await p.FanOutAsync(new());
            await p.ErrorAsync(new() { ["limit"] = 0 });
        },
        ["get_server_status"] = async p =>
        {
            await p.OkAsync();
            await p.FanOutAsync(new());
            await p.ErrorAsync(new() { ["tenant"] = "no-such-tenant" });
        },
        ["get_detection_rule"] = async p =>
        {
            var rule = await NewRuleAsync(p);
            await p.OkAsync(new() { ["rule_id"] = rule });
            await p.ErrorAsync(new() { ["rule_id"] = "999999999" });
        },
        ["get_machine_action"] = async p =>
        {
            var action = await NewScanAsync(p);
            await p.OkAsync(new() { ["action_id"] = action });
            await p.OkAsync(new() { ["action_id"] = action, ["wait_seconds"] = 30 });
            await p.ErrorAsync(new() { ["action_id"] = Guid.NewGuid().ToString() });
        },
        ["get_investigation_package_uri"] = async p =>
        {
            var device = await p.NextDeviceAsync();
            var action = await p.NewIdAsync(
                "list_machine_actions",
                "actions",
                () => p.Server.CallOkAsync("collect_investigation_package", new() { ["device"] = device, ["comment"] = "schema test" }),
                new() { ["device"] = device, ["limit"] = 100 });
            await p.Server.CallOkAsync("get_machine_action", new() { ["action_id"] = action, ["wait_seconds"] = 30 });
            await p.OkAsync(new() { ["action_id"] = action });
            await p.ErrorAsync(new() { ["action_id"] = Guid.NewGuid().ToString() });
        },
        ["list_saved_hunts"] = async p =>
        {
            await p.OkAsync();
            await p.ErrorAsync(UnknownArgument);
        },
        ["run_saved_hunt"] = async p =>
        {
            await p.OkAsync(new() { ["name"] = "encoded-powershell" });
            await p.FanOutAsync(new() { ["name"] = "encoded-powershell" });
            await p.ErrorAsync(new() { ["name"] = "no-such-hunt" });
        },
        ["schedule_hunt"] = async p =>
        {
            await p.OkAsync(new() { ["name"] = "phishing-clicks", ["every"] = "PT1H" });
            await p.OkAsync(new() { ["name"] = "phishing-clicks", ["every"] = "PT1H", ["tenant"] = "*" });
            await p.ErrorAsync(new() { ["name"] = "phishing-clicks", ["every"] = "soon" });
        },
        ["unschedule_hunt"] = async p =>
        {
            await p.Server.CallOkAsync("schedule_hunt", new() { ["name"] = "phishing-clicks", ["every"] = "PT1H" });
            await p.OkAsync(new() { ["name"] = "phishing-clicks" });
            await p.ErrorAsync(new() { ["name"] = "no-such-hunt" });
        },
        ["get_hunt_results"] = async p =>
        {
            await p.Server.CallOkAsync("schedule_hunt", new() { ["name"] = "delivered-phish", ["every"] = "PT0.2S", ["tenant"] = "*" });
            JsonElement results;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do
            {
                await Task.Delay(100, Ct);
                results = await p.OkAsync(new() { ["name"] = "delivered-phish" });
            }
            while (results.GetProperty("count").GetInt32() == 0 && DateTime.UtcNow < deadline);

            await p.Server.CallOkAsync("unschedule_hunt", new() { ["name"] = "delivered-phish" });
            Assert.True(results.GetProperty("count").GetInt32() > 0, "the scheduled hunt never ran");
            await p.ErrorAsync(new() { ["name"] = "no-such-hunt" });
        },

        // Writes.
        ["update_incident"] = p => WriteCases(p, _ => new() { ["incident_id"] = "4305", ["status"] = "active", ["custom_tags"] = new[] { "schema-test" } }),
        ["add_incident_comment"] = p => WriteCases(p, _ => new() { ["incident_id"] = "4301", ["comment"] = "schema test" }),
        ["update_alert"] = p => WriteCases(p, async p =>
        {
            var alert = (await p.Server.CallOkAsync("list_alerts", new() { ["limit"] = 1 })).GetProperty("alerts")[0].GetProperty("id").GetString();
            return new() { ["alert_id"] = alert, ["status"] = "inProgress", ["assigned_to"] = "analyst@contoso.com" };
        }),
        ["add_indicator"] = p => WriteCases(p, _ => new() { ["indicator_type"] = "DomainName", ["value"] = $"schema-{Guid.NewGuid():N}.example", ["action"] = "Block", ["title"] = "schema test", ["description"] = "schema test" }),
        ["import_indicators"] = p => WriteCases(p, _ => new()
        {
            ["indicators"] = new[] { new Dictionary<string, string> { ["indicator_type"] = "DomainName", ["value"] = $"schema-{Guid.NewGuid():N}.example", ["action"] = "Block", ["title"] = "schema test", ["description"] = "schema test" } },
        }),
        ["remove_indicators"] = p => WriteCases(p, async p =>
        {
            var id = await p.NewIdAsync("list_indicators", "indicators", () => p.Server.CallOkAsync("add_indicator", new() { ["indicator_type"] = "DomainName", ["value"] = $"schema-{Guid.NewGuid():N}.example", ["action"] = "Block", ["title"] = "t", ["description"] = "d" }));
            return new() { ["indicator_ids"] = new[] { id } };
        }),
        ["create_detection_rule"] = p => WriteCases(p, _ => RuleArguments()),
        ["update_detection_rule"] = p => WriteCases(p, async p => new() { ["rule_id"] = await NewRuleAsync(p), ["frequency"] = "P1D", ["enabled"] = false }),
        ["delete_detection_rule"] = p => WriteCases(p, async p => new() { ["rule_id"] = await NewRuleAsync(p) }),
        ["cancel_machine_action"] = p => WriteCases(p, async p => new() { ["action_id"] = await NewScanAsync(p), ["comment"] = "schema test" }),
        // Undo of an added indicator (machine actions in this emulator stay cancellable, never Succeeded).
        ["undo_action"] = p => WriteCases(p, async p => new()
        {
            ["indicator_id"] = await p.NewIdAsync("list_indicators", "indicators", () => p.Server.CallOkAsync("add_indicator", new() { ["indicator_type"] = "DomainName", ["value"] = $"schema-{Guid.NewGuid():N}.example", ["action"] = "Block", ["title"] = "t", ["description"] = "d" })),
        }),
        ["isolate_device"] = p => DeviceWriteCases(p, new() { ["isolation_type"] = "Selective" }),
        ["release_device"] = p => DeviceWriteCases(p, new()),
        ["restrict_app_execution"] = p => DeviceWriteCases(p, new()),
        ["remove_app_restriction"] = p => DeviceWriteCases(p, new()),
        ["run_antivirus_scan"] = p => DeviceWriteCases(p, new() { ["scan_type"] = "Quick" }),
        ["collect_investigation_package"] = p => DeviceWriteCases(p, new()),
        ["stop_and_quarantine_file"] = p => DeviceWriteCases(p, new() { ["sha1"] = "3395856CE81F2B7382DEE72602F798B642F14140" }),
        ["offboard_device"] = p => DeviceWriteCases(p, new()),
        ["revoke_user_sessions"] = p => WriteCases(p, _ => new() { ["user"] = "megan.bowen@contoso.com" }),
        ["disable_user"] = p => WriteCases(p, _ => new() { ["user"] = "megan.bowen@contoso.com" }),
        ["enable_user"] = p => WriteCases(p, _ => new() { ["user"] = "megan.bowen@contoso.com" }),
        ["confirm_user_compromised"] = p => WriteCases(p, _ => new() { ["user"] = "megan.bowen@contoso.com" }),
        ["dismiss_user_risk"] = p => WriteCases(p, _ => new() { ["user"] = "megan.bowen@contoso.com" }),
        ["list_library_files"] = async p =>
        {
            await p.OkAsync();
            await p.FanOutAsync(new());
            await p.ErrorAsync(new() { ["tenant"] = "no-such-tenant" });
            await p.ErrorAsync(UnknownArgument);
        },
        ["run_live_response_script"] = p => WriteCases(p, async p => new() { ["device"] = await p.NextDeviceAsync(), ["script"] = "list-processes.ps1", ["wait_seconds"] = 30 }),
        // Every live response here waits for its end: one left pending would refuse a later case's on the same device.
        ["live_response_put_file"] = p => WriteCases(p, async p => new() { ["device"] = await p.NextDeviceAsync(), ["file"] = "minidump.ps1", ["wait_seconds"] = 30 }),
        ["live_response_get_file"] = p => WriteCases(p, async p => new() { ["device"] = await p.NextDeviceAsync(), ["path"] = @"C:\Windows\System32\drivers\etc\hosts", ["wait_seconds"] = 30 }),
        ["upload_library_file"] = p => WriteCases(p, _ => new() { ["path"] = OutputSchemaProbe.UploadName, ["description"] = "schema test", ["override"] = true }),
        ["delete_library_file"] = p => WriteCases(p, async p =>
        {
            await p.Server.CallOkAsync("upload_library_file", new() { ["path"] = OutputSchemaProbe.UploadName, ["override"] = true });
            return new() { ["file"] = OutputSchemaProbe.UploadName };
        }),
        ["get_live_response_result"] = async p =>
        {
            var run = await p.Server.CallOkAsync("run_live_response_script", new() { ["device"] = await p.NextDeviceAsync(), ["script"] = "list-processes.ps1", ["wait_seconds"] = 30 });
            var action = run.GetProperty("action_id").GetString();
            await p.OkAsync(new() { ["action_id"] = action, ["command_index"] = 0, ["limit"] = 50 });
            await p.ErrorAsync(new() { ["action_id"] = action, ["command_index"] = 3 });
            await p.ErrorAsync(new() { ["action_id"] = Guid.NewGuid().ToString(), ["command_index"] = 0 });
        },
    };

    public static TheoryData<string> ToolNames => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ToolNames))]
    public async Task Every_output_of_the_tool_matches_its_advertised_schema(string tool)
    {
        await using var probe = await OutputSchemaProbe.StartAsync(fixture, tool);

        await Cases[tool](probe);

        var expected = new HashSet<string> { OutputSchemaProbe.Success, OutputSchemaProbe.Error };
        if (probe.IsWrite)
        {
            expected = [OutputSchemaProbe.DryRun, OutputSchemaProbe.TokenPreview, OutputSchemaProbe.Executed, OutputSchemaProbe.Error];
        }

        if (probe.AdvertisesFanOut)
        {
            expected.Add(OutputSchemaProbe.FanOut);
        }

        // A schema that offers the envelope is exercised with one, and a fan-out case is only written for such a schema.
        Assert.Equal(expected.Order(StringComparer.Ordinal), probe.Covered.Order(StringComparer.Ordinal));

        probe.AssertValid();
    }

    // The intended change to tools-list.json: an output schema is one of the tenant's result, the fan-out envelope (only
    // for tools that answer per tenant) or the error, instead of one flat object with nothing required.
    [Fact]
    public async Task Every_output_schema_is_one_of_result_envelope_or_error()
    {
        await using var server = await ServerHarness.StartAsync(fixture.Emulator, tier: ActionTier.LiveResponse);

        var tools = await server.Client.ListToolsAsync(cancellationToken: Ct);

        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            var schema = tool.OutputSchema!.Value;
            var takesSeveralTenants = tool.InputSchema.GetProperty("properties").TryGetProperty("tenant", out var tenant) && tenant.TryGetProperty("anyOf", out _);
            string[] branches = takesSeveralTenants && tool.Name is not "schedule_hunt" and not "unschedule_hunt"
                ? ["#/$defs/result", "#/$defs/fan_out", "#/$defs/error_result"]
                : ["#/$defs/result", "#/$defs/error_result"];
            Assert.Equal("object", schema.GetProperty("type").GetString());
            Assert.Equal(branches, schema.GetProperty("anyOf").EnumerateArray().Select(b => b.GetProperty("$ref").GetString()));
            Assert.False(schema.TryGetProperty("properties", out _), tool.Name);
            Assert.NotEmpty(schema.GetProperty("$defs").GetProperty("result").GetProperty("required").EnumerateArray());
            Assert.False(schema.GetProperty("$defs").GetProperty("result").GetProperty("additionalProperties").GetBoolean(), tool.Name);
        }
    }

    [Fact]
    public async Task Every_advertised_tool_has_its_cases_here()
    {
        await using var server = await ServerHarness.StartAsync(fixture.Emulator, tier: ActionTier.LiveResponse);

        var tools = await server.Client.ListToolsAsync(cancellationToken: Ct);

        Assert.Equal(tools.Select(t => t.Name).Order(StringComparer.Ordinal), Cases.Keys.Order(StringComparer.Ordinal));
    }

    private static async Task ListCases(OutputSchemaProbe p)
    {
        await p.OkAsync(new() { ["limit"] = 3 });
        await p.FanOutAsync(new() { ["limit"] = 3 });
        await p.ErrorAsync(new() { ["tenant"] = "no-such-tenant" });
        await p.ErrorAsync(UnknownArgument);
    }

    // A throttled call: its error carries retry_after, and a fan-out entry can hold it.
    private static async Task ThrottledCasesAsync(OutputSchemaProbe p)
    {
        await p.Control.AddFaultAsync(new FaultSpec { Status = 429, RetryAfterSeconds = 3600, Count = 0, Tenant = "fabrikam", PathPattern = "alerts_v2" }, Ct);
        try
        {
            await p.ErrorAsync(new() { ["tenant"] = "fabrikam", ["limit"] = 1 });
            var envelope = await p.FanOutAsync(new() { ["limit"] = 1 });
            Assert.Contains(envelope.GetProperty("results").EnumerateArray(), e => e.TryGetProperty("error", out var error) && error.TryGetProperty("retry_after", out _));
        }
        finally
        {
            await p.Control.ClearFaultsAsync(Ct);
        }
    }

    private static async Task WriteCases(OutputSchemaProbe p, Func<OutputSchemaProbe, Task<Dictionary<string, object?>>> args)
    {
        await p.WriteAsync(() => args(p));
        await p.ErrorAsync(new());
        await p.ErrorAsync(UnknownArgument);
    }

    private static Task WriteCases(OutputSchemaProbe p, Func<OutputSchemaProbe, Dictionary<string, object?>> args) =>
        WriteCases(p, p => Task.FromResult(args(p)));

    // One device, then several at once (with one unknown name, so the refused list is exercised too).
    private static async Task DeviceWriteCases(OutputSchemaProbe p, Dictionary<string, object?> extra)
    {
        await WriteCases(p, async p => new Dictionary<string, object?>(extra) { ["device"] = await p.NextDeviceAsync(), ["comment"] = "schema test" });
        await p.WriteAsync(async () => new Dictionary<string, object?>(extra) { ["devices"] = new[] { await p.NextDeviceAsync(), await p.NextDeviceAsync(), "no-such-device" }, ["comment"] = "schema test" });
    }

    private static Dictionary<string, object?> RuleArguments() => new()
    {
        ["display_name"] = $"Schema test {Guid.NewGuid():N}",
        ["query"] = "DeviceProcessEvents | where ProcessCommandLine contains '-enc'",
        ["frequency"] = "PT1H",
        ["alert_title"] = "Schema test",
        ["severity"] = "low",
        ["tactic"] = "Execution",
    };

    private static Task<string> NewRuleAsync(OutputSchemaProbe p) =>
        p.NewIdAsync("list_detection_rules", "rules", () => p.Server.CallOkAsync("create_detection_rule", RuleArguments()));

    // A fresh machine action (pending for a moment) on a device no other case is using.
    private static async Task<string> NewScanAsync(OutputSchemaProbe p)
    {
        var device = await p.NextDeviceAsync();
        return await p.NewIdAsync(
            "list_machine_actions",
            "actions",
            () => p.Server.CallOkAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = "schema test", ["scan_type"] = "Quick" }),
            new() { ["device"] = device, ["limit"] = 100 });
    }
}
