using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Response;

public sealed class MoreResponseToolTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ServerHarness> Respond() => ServerHarness.StartAsync(fixture, s => s with { ActionPollInterval = TimeSpan.FromMilliseconds(100) }, ActionTier.Respond, ConfirmationMode.None);

    [Fact]
    public async Task Detection_rules_are_created_read_updated_and_deleted_and_their_query_is_guarded()
    {
        await using var server = await Respond();

        var refused = await server.CallErrorAsync("create_detection_rule", new() { ["display_name"] = "bad", ["query"] = "DeviceInfo | take 1; .drop table DeviceInfo", ["frequency"] = "PT1H", ["alert_title"] = "x", ["severity"] = "high" });
        var created = await server.CallOkAsync("create_detection_rule", new() { ["display_name"] = "Encoded PowerShell", ["query"] = "DeviceProcessEvents | where ProcessCommandLine contains '-enc'", ["frequency"] = "PT1H", ["alert_title"] = "Encoded PowerShell", ["severity"] = "high", ["tactic"] = "Execution", ["mitre_techniques"] = new[] { "T1059.001" } });
        var id = created.GetProperty("target").GetProperty("id").GetString();
        Assert.Equal(id, created.GetProperty("rule").GetProperty("id").GetString());
        var updated = await server.CallOkAsync("update_detection_rule", new() { ["rule_id"] = id, ["frequency"] = "P1D", ["enabled"] = false });
        var fetched = await server.CallOkAsync("get_detection_rule", new() { ["rule_id"] = id });
        var listed = await server.CallOkAsync("list_detection_rules");
        await server.CallOkAsync("delete_detection_rule", new() { ["rule_id"] = id });
        var gone = await server.CallErrorAsync("get_detection_rule", new() { ["rule_id"] = id });

        Assert.Equal("kql_refused", refused.Code);
        Assert.StartsWith("Query refused by the KQL guard", refused.Message, StringComparison.Ordinal);
        Assert.Equal("encoded-powershell", id);
        Assert.Equal(("enabled", "PT1H"), (created.GetProperty("rule").GetProperty("status").GetString(), created.GetProperty("rule").GetProperty("frequency").GetString()));
        Assert.Equal("P1D", updated.GetProperty("changes").GetProperty("frequency").GetString());
        Assert.False(updated.GetProperty("changes").GetProperty("enabled").GetBoolean());
        Assert.Equal("disabled", fetched.GetProperty("rule").GetProperty("status").GetString());
        Assert.False(fetched.GetProperty("rule").TryGetProperty("isEnabled", out _));
        Assert.Equal("Execution", fetched.GetProperty("rule").GetProperty("detectionAction").GetProperty("alertTemplate").GetProperty("tactics")[0].GetProperty("tactic").GetString());
        Assert.Equal("high", fetched.GetProperty("rule").GetProperty("detectionAction").GetProperty("alertTemplate").GetProperty("severity").GetString());
        Assert.Contains(listed.GetProperty("rules").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Equal("not_found", gone.Code);
    }

    [Fact]
    public async Task Indicators_are_imported_listed_and_removed()
    {
        await using var server = await Respond();
        var items = new[]
        {
            new Dictionary<string, string> { ["indicator_type"] = "DomainName", ["value"] = "fabrikam-invoice-portal.net", ["action"] = "Block", ["title"] = "phish domain", ["description"] = "story" },
            new Dictionary<string, string> { ["indicator_type"] = "IpAddress", ["value"] = "91.219.236.18", ["action"] = "Block", ["title"] = "c2", ["description"] = "story" },
        };

        var bad = await server.CallErrorAsync("import_indicators", new() { ["tenant"] = "fabrikam", ["indicators"] = new[] { new Dictionary<string, string> { ["indicator_type"] = "FileSha256", ["value"] = "abc", ["action"] = "Block", ["title"] = "t", ["description"] = "d" } } });
        var tooMany = await server.CallErrorAsync("import_indicators", new() { ["tenant"] = "fabrikam", ["indicators"] = Enumerable.Repeat(items[0], 501).ToArray() });
        var imported = await server.CallOkAsync("import_indicators", new() { ["tenant"] = "fabrikam", ["indicators"] = items });
        var listed = await server.CallOkAsync("list_indicators", new() { ["tenant"] = "fabrikam" });
        var ids = listed.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToArray();
        await server.CallOkAsync("remove_indicators", new() { ["tenant"] = "fabrikam", ["indicator_ids"] = ids });
        var after = await server.CallOkAsync("list_indicators", new() { ["tenant"] = "fabrikam" });

        Assert.Equal("invalid_input", bad.Code);
        Assert.Contains("indicators[0].value", bad.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_input", tooMany.Code);
        Assert.All(imported.GetProperty("indicators").EnumerateArray(), r => Assert.False(r.GetProperty("failed").GetBoolean()));
        Assert.Equal(2, ids.Length);
        Assert.Equal(0, after.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Indicators_past_one_page_are_reached_by_offset_and_the_last_page_says_so()
    {
        // list_indicators used to show the first 'limit' (oldest) and no sign of more: the newest were out of sight.
        await using var server = await Respond();
        var run = Guid.NewGuid().ToString("N")[..8];
        var items = Enumerable.Range(1, 120).Select(i => new Dictionary<string, string>
        {
            ["indicator_type"] = "DomainName", ["value"] = $"paging-{run}-{i}.example.com", ["action"] = "Block", ["title"] = $"paging {i}", ["description"] = "paging",
        }).ToArray();
        await server.CallOkAsync("import_indicators", new() { ["tenant"] = "contoso", ["indicators"] = items });

        var seen = new List<string>();
        var offsets = new List<int>();
        int? offset = 0;
        while (offset is { } at)
        {
            var page = await server.CallOkAsync("list_indicators", new() { ["tenant"] = "contoso", ["limit"] = 50, ["offset"] = at });
            Assert.Equal(at, page.GetProperty("offset").GetInt32());
            offsets.Add(at);
            seen.AddRange(page.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("value").GetString()!));
            offset = page.GetProperty("next_offset").ValueKind == System.Text.Json.JsonValueKind.Null ? null : page.GetProperty("next_offset").GetInt32();
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(items.Select(i => i["value"]).ToHashSet(), seen.ToHashSet());
        Assert.True(offsets.Count >= 3);
        Assert.Equal(offsets, Enumerable.Range(0, offsets.Count).Select(i => i * 50));
    }

    [Fact]
    public async Task Alerts_are_updated_and_a_collected_package_has_a_link_once_done()
    {
        await using var server = await Respond();
        var alert = (await server.CallOkAsync("list_alerts", new() { ["tenant"] = "fabrikam", ["status"] = "New" })).GetProperty("alerts")[0].GetProperty("id").GetString();
        var updated = await server.CallOkAsync("update_alert", new() { ["tenant"] = "fabrikam", ["alert_id"] = alert, ["status"] = "inProgress", ["assigned_to"] = "analyst@fabrikam.com" });
        var collect = await server.CallOkAsync("collect_investigation_package", new() { ["tenant"] = "fabrikam", ["device"] = "fbrk-fin-lt-011.fabrikam.com", ["comment"] = "IR" });
        var actionId = collect.GetProperty("action_id").GetString();

        await server.CallOkAsync("get_machine_action", new() { ["tenant"] = "fabrikam", ["action_id"] = actionId, ["wait_seconds"] = 30 });
        var link = await server.CallOkAsync("get_investigation_package_uri", new() { ["tenant"] = "fabrikam", ["action_id"] = actionId });

        Assert.Equal("inProgress", updated.GetProperty("changes").GetProperty("status").GetString());
        Assert.Equal("analyst@fabrikam.com", updated.GetProperty("changes").GetProperty("assigned_to").GetString());
        // The link asked while the collection runs (not_ready) is DeviceStateTests' case: this fixture's actions finish in
        // half a second, too soon to see on a loaded machine. A second pending action's conflict is RefusalTests'.
        Assert.StartsWith("https://", link.GetProperty("uri").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_story_end_to_end_shows_in_the_audit_trail()
    {
        await using var server = await ServerHarness.StartAsync(fixture, s => s with { ActionPollInterval = TimeSpan.FromMilliseconds(100) }, ActionTier.Respond, ConfirmationMode.Elicitation,
            new ModelContextProtocol.Client.McpClientOptions
            {
                Handlers = new ModelContextProtocol.Client.McpClientHandlers
                {
                    ElicitationHandler = (_, _) => ValueTask.FromResult(new ModelContextProtocol.Protocol.ElicitResult { Action = "accept", Content = new Dictionary<string, System.Text.Json.JsonElement> { ["confirm"] = System.Text.Json.JsonSerializer.SerializeToElement(true) } }),
                },
            });

        // 1. Find the compromised device from the attack story.
        var hunt = await server.CallOkAsync("run_saved_hunt", new() { ["name"] = "encoded-powershell", ["tenant"] = "contoso" });
        var device = hunt.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("ProcessCommandLine").GetString()!.Contains("EncodedCommand", StringComparison.Ordinal) ? r.GetProperty("DeviceName").GetString() : null).First(d => d is not null);
        // 2. Isolate it after confirming. 3. Watch it succeed.
        var isolate = await server.CallOkAsync("isolate_device", new() { ["device"] = device, ["comment"] = "Encoded PowerShell from phishing" });
        var done = await server.CallOkAsync("get_machine_action", new() { ["action_id"] = isolate.GetProperty("action_id").GetString(), ["wait_seconds"] = 30 });
        // 4. Block the dropped file's hash. 5. Resolve the incident.
        var file = await server.CallOkAsync("run_saved_hunt", new() { ["name"] = "downloaded-executables", ["tenant"] = "contoso" });
        var sha1 = file.GetProperty("rows")[0].GetProperty("SHA1").GetString();
        await server.CallOkAsync("add_indicator", new() { ["indicator_type"] = "FileSha1", ["value"] = sha1, ["action"] = "BlockAndRemediate", ["title"] = "Dropped payload", ["description"] = "From the phishing chain" });
        await server.CallOkAsync("update_incident", new() { ["incident_id"] = "4301", ["status"] = "resolved", ["classification"] = "truePositive", ["determination"] = "multiStagedAttack" });

        Assert.Equal("ctso-fin-lt-011.contoso.com", device);
        Assert.Equal("Succeeded", done.GetProperty("action").GetProperty("status").GetString());
        var tools = server.AuditLines().Where(l => l.GetProperty("event").GetString() == "tool_call").Select(l => (l.GetProperty("tool").GetString(), l.TryGetProperty("confirmation", out var c) ? c.GetString() : null)).ToList();
        Assert.Contains(("isolate_device", "elicitation_accepted"), tools);
        Assert.Contains(("add_indicator", "elicitation_accepted"), tools);
        Assert.Contains(("update_incident", "elicitation_accepted"), tools);
        Assert.Contains(tools, t => t.Item1 == "get_machine_action");
    }
}
