using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Golden;

/// <summary>
/// The contract every refactoring must keep: the full <c>tools/list</c> (names, input and output schemas,
/// annotations) and the <c>dry_run</c> preview (method, path, body) of every write tool against the emulator.
/// An intended change regenerates the files with <c>DEFENDER_MCP_UPDATE_GOLDEN=1</c> and names the change in a test.
/// </summary>
public sealed class GoldenFileTests(PendingActionsEmulatorFixture fixture) : IClassFixture<PendingActionsEmulatorFixture>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // A library upload folder with one fixed script, so the upload preview's size and hash are the same on every run.
    private static readonly Lazy<string> Uploads = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("defender-mcp-golden-uploads-").FullName;
        File.WriteAllText(Path.Combine(folder, "golden-autoruns.ps1"), "Get-CimInstance Win32_StartupCommand\n");
        return folder;
    });

    [Fact]
    public async Task Tools_list_is_unchanged()
    {
        await using var server = await ServerHarness.StartAsync(fixture.Emulator, tier: ActionTier.LiveResponse);
        var tools = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var list = new JsonArray([.. tools.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => JsonSerializer.SerializeToNode(t.ProtocolTool))]);

        GoldenFile.Compare("tools-list.json", list, Indented);
    }

    [Fact]
    public async Task Every_write_tool_dry_run_preview_is_unchanged()
    {
        await using var server = await ServerHarness.StartAsync(
            fixture.Emulator,
            s => s with { Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { AllowOffboard = true } })], LiveResponse = s.LiveResponse with { DownloadFolder = Path.GetTempPath(), UploadFolder = Uploads.Value } },
            ActionTier.LiveResponse);
        var device = (await server.CallOkAsync("list_devices", new() { ["name_prefix"] = "ctso-hr-lt", ["limit"] = 1 })).GetProperty("devices")[0].GetProperty("name").GetString()!;
        var alert = (await server.CallOkAsync("list_alerts", new() { ["limit"] = 1 })).GetProperty("alerts")[0].GetProperty("id").GetString()!;
        var (ruleId, actionId, indicatorIds) = await SeedAsync(fixture);

        var calls = new (string Tool, Dictionary<string, object?> Args)[]
        {
            ("update_incident", new() { ["incident_id"] = "4305", ["status"] = "resolved", ["classification"] = "truePositive", ["determination"] = "malware", ["custom_tags"] = new[] { "IR-42" } }),
            ("add_incident_comment", new() { ["incident_id"] = "4301", ["comment"] = "Contained by the SOC" }),
            ("update_alert", new() { ["alert_id"] = alert, ["status"] = "inProgress", ["assigned_to"] = "analyst@contoso.com" }),
            ("add_indicator", new() { ["indicator_type"] = "FileSha1", ["value"] = "3395856ce81f2b7382dee72602f798b642f14140", ["action"] = "BlockAndRemediate", ["title"] = "payload", ["description"] = "from the phishing chain" }),
            ("import_indicators", new() { ["indicators"] = new[] { new Dictionary<string, string> { ["indicator_type"] = "DomainName", ["value"] = "contoso-payroll.net", ["action"] = "Block", ["title"] = "phish", ["description"] = "story" } } }),
            ("remove_indicators", new() { ["indicator_ids"] = indicatorIds }),
            ("create_detection_rule", new() { ["display_name"] = "Encoded PowerShell", ["query"] = "DeviceProcessEvents | where ProcessCommandLine contains '-enc'", ["frequency"] = "PT1H", ["alert_title"] = "Encoded PowerShell", ["severity"] = "high", ["tactic"] = "Execution", ["mitre_techniques"] = new[] { "T1059.001" } }),
            ("update_detection_rule", new() { ["rule_id"] = ruleId, ["frequency"] = "P1D", ["enabled"] = false }),
            ("delete_detection_rule", new() { ["rule_id"] = ruleId }),
            ("cancel_machine_action", new() { ["action_id"] = actionId, ["comment"] = "mistake" }),
            ("undo_action", new() { ["indicator_id"] = indicatorIds[0] }),
            ("isolate_device", new() { ["device"] = device, ["comment"] = "contain", ["isolation_type"] = "Selective" }),
            ("release_device", new() { ["device"] = device, ["comment"] = "clean" }),
            ("restrict_app_execution", new() { ["device"] = device, ["comment"] = "contain" }),
            ("remove_app_restriction", new() { ["device"] = device, ["comment"] = "clean" }),
            ("run_antivirus_scan", new() { ["device"] = device, ["comment"] = "sweep", ["scan_type"] = "Full" }),
            ("collect_investigation_package", new() { ["device"] = device, ["comment"] = "IR" }),
            ("stop_and_quarantine_file", new() { ["device"] = device, ["sha1"] = "3395856CE81F2B7382DEE72602F798B642F14140", ["comment"] = "payload" }),
            ("offboard_device", new() { ["device"] = device, ["comment"] = "retire" }),
            ("run_live_response_script", new() { ["device"] = device, ["script"] = "minidump.ps1", ["arguments"] = "OfficeClickToRun", ["comment"] = "IR dump" }),
            ("live_response_get_file", new() { ["device"] = device, ["path"] = @"C:\Windows\TEMP\OfficeClickToRun.dmp.zip", ["comment"] = "IR dump" }),
            ("live_response_put_file", new() { ["device"] = device, ["file"] = "collect-triage.ps1" }),
            ("upload_library_file", new() { ["path"] = "golden-autoruns.ps1", ["description"] = "Lists autoruns", ["parameters_description"] = "Computer name" }),
            ("delete_library_file", new() { ["file"] = "list-processes.ps1" }),
            ("revoke_user_sessions", new() { ["user"] = "adele.vance@contoso.com" }),
            ("disable_user", new() { ["user"] = "adele.vance@contoso.com" }),
            ("enable_user", new() { ["user"] = "adele.vance@contoso.com" }),
            ("confirm_user_compromised", new() { ["user"] = "adele.vance@contoso.com" }),
            ("dismiss_user_risk", new() { ["user"] = "adele.vance@contoso.com" }),
        };

        var previews = new JsonObject();
        foreach (var (tool, args) in calls)
        {
            args["dry_run"] = true;
            var preview = JsonNode.Parse((await server.CallOkAsync(tool, args)).GetRawText())!.AsObject();
            previews[tool] = Normalize(preview, fixture.Emulator.BaseUri, (ruleId, "{rule_id}"), (actionId, "{action_id}"));
        }

        GoldenFile.Compare("dry-run-previews.json", previews, Indented);
    }

    // A real rule, machine action and two indicators to preview updates, deletes and cancels of; made through a server
    // that needs no confirmation, on a device the previews do not use. The emulator numbers indicators from 1001.
    private static async Task<(string RuleId, string ActionId, string[] IndicatorIds)> SeedAsync(PendingActionsEmulatorFixture fixture)
    {
        await using var writer = await ServerHarness.StartAsync(fixture.Emulator, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);
        var rule = await writer.CallOkAsync("create_detection_rule", new() { ["display_name"] = "Golden rule", ["query"] = "DeviceInfo | take 1", ["frequency"] = "PT1H", ["alert_title"] = "Golden", ["severity"] = "low", ["tactic"] = "Execution" });
        var device = (await writer.CallOkAsync("list_devices", new() { ["name_prefix"] = "ctso-fin", ["limit"] = 1 })).GetProperty("devices")[0].GetProperty("name").GetString()!;
        var scan = await writer.CallOkAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = "seed" });
        var ip = await writer.CallOkAsync("add_indicator", new() { ["indicator_type"] = "IpAddress", ["value"] = "203.0.113.1", ["action"] = "Block", ["title"] = "golden one", ["description"] = "seed" });
        var domain = await writer.CallOkAsync("add_indicator", new() { ["indicator_type"] = "DomainName", ["value"] = "golden-two.example", ["action"] = "Audit", ["title"] = "golden two", ["description"] = "seed" });
        string[] indicators = [ip.GetProperty("indicator").GetProperty("id").GetString()!, domain.GetProperty("indicator").GetProperty("id").GetString()!];
        return (rule.GetProperty("rule").GetProperty("id").GetString()!, scan.GetProperty("action_id").GetString()!, indicators);
    }

    // The emulator's port and the seeded ids change on every start; everything else in a preview is deterministic.
    private static JsonNode Normalize(JsonObject preview, Uri emulator, params (string Value, string Placeholder)[] ids)
    {
        var text = preview.ToJsonString().Replace(emulator.AbsoluteUri.TrimEnd('/'), "https://emulator", StringComparison.Ordinal);
        foreach (var (value, placeholder) in ids)
        {
            text = text.Replace(value, placeholder, StringComparison.Ordinal);
        }

        return JsonNode.Parse(text)!;
    }
}
