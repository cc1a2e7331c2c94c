using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;
using DefenderMcp.Tests.Tools;

namespace DefenderMcp.Tests.Response;

// Defender's refusals that are not a missing role (defender-api.md §3.2): DisabledFeature, DisallowedOperation, an
// action already in progress, a duplicate detection-rule id. Its own emulator (actions pending for seconds), because
// the cases inject faults and need the first action still pending when the second is sent.
public sealed class RefusalTests(CancellableActionsEmulatorFixture fixture) : IClassFixture<CancellableActionsEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ServerHarness> RespondAsync() =>
        ServerHarness.StartAsync(fixture.Emulator, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

    private static async Task<string> DeviceAsync(ServerHarness server, string prefix) =>
        (await server.CallOkAsync("list_devices", new() { ["name_prefix"] = prefix, ["limit"] = 1 })).GetProperty("devices")[0].GetProperty("name").GetString()!;

    private async Task<int> PostsAsync(string pathPart) =>
        (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Method == "POST" && r.Path.Contains(pathPart, StringComparison.Ordinal));

    [Fact]
    public async Task A_second_action_while_one_is_pending_is_a_conflict_naming_the_pending_action()
    {
        await using var server = await RespondAsync();
        var device = await DeviceAsync(server, "ctso-fin");
        var first = await server.CallOkAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = "first scan", ["scan_type"] = "Quick" });
        var pendingId = first.GetProperty("action_id").GetString()!;
        var before = await PostsAsync("/runAntiVirusScan");

        var (code, message) = await server.CallErrorAsync("run_antivirus_scan", new() { ["device"] = device, ["comment"] = "second scan", ["scan_type"] = "Quick" });

        // The second request reached Defender (one POST, refused with 400), was not retried, and the answer names the first.
        Assert.Equal(before + 1, await PostsAsync("/runAntiVirusScan"));
        Assert.Contains((await fixture.Control.GetRequestsAsync(Ct)), r => r.Path.EndsWith("/runAntiVirusScan", StringComparison.Ordinal) && r.Status == 400);
        Assert.Equal("conflict", code);
        Assert.Contains(pendingId, message, StringComparison.Ordinal);
        Assert.Contains("RunAntiVirusScan action is already", message, StringComparison.Ordinal);
        // When it was requested, in UTC ISO 8601 as the result's time fields read, never a local or culture format.
        Assert.Matches(@", requested \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\. ", message);
        Assert.Contains("get_machine_action", message, StringComparison.Ordinal);
        Assert.DoesNotContain("role", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DisabledFeature_is_its_own_error_with_the_service_reason_not_a_missing_role()
    {
        await using var server = await RespondAsync();
        var device = await DeviceAsync(server, "ctso-hr-lt");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, Code = "DisabledFeature", Message = "Restrict app execution is turned off for this tenant", PathPattern = "/restrictCodeExecution$", Method = "POST" }, Ct);

        var (code, message) = await server.CallErrorAsync("restrict_app_execution", new() { ["device"] = device, ["comment"] = "contain" });

        Assert.Equal("feature_disabled", code);
        Assert.Contains("not enabled in this tenant", message, StringComparison.Ordinal);
        Assert.Contains("Restrict app execution is turned off for this tenant", message, StringComparison.Ordinal);
        Assert.Contains("granting app roles will not help", message, StringComparison.Ordinal);
        Assert.DoesNotContain("needs the application role", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisallowedOperation_on_a_read_is_its_own_error_with_the_service_reason()
    {
        await using var server = await RespondAsync();
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, Code = "DisallowedOperation", Message = "Listing machines is not allowed for this device group", PathPattern = "^/api/machines\\?", Method = "GET" }, Ct);

        var (code, message) = await server.CallErrorAsync("list_devices", new() { ["limit"] = 1 });

        Assert.Equal("operation_disallowed", code);
        Assert.Contains("403 DisallowedOperation", message, StringComparison.Ordinal);
        Assert.Contains("not allowed for this device group", message, StringComparison.Ordinal);
        Assert.DoesNotContain("needs the application role", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_403_is_still_the_missing_role()
    {
        await using var server = await RespondAsync();
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, PathPattern = "^/api/machines\\?", Method = "GET" }, Ct);

        var (code, message) = await server.CallErrorAsync("list_devices", new() { ["limit"] = 1 });

        Assert.Equal("permission_denied", code);
        Assert.Contains("Machine.Read.All", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_detection_rule_id_is_a_409_conflict()
    {
        await using var server = await RespondAsync();
        var rule = new Dictionary<string, object?>
        {
            ["rule_id"] = "refusal-duplicate-" + Guid.NewGuid().ToString("N")[..8],
            ["display_name"] = "Encoded PowerShell",
            ["query"] = "DeviceProcessEvents | where ProcessCommandLine contains '-enc'",
            ["frequency"] = "PT1H",
            ["alert_title"] = "Encoded PowerShell",
            ["severity"] = "high",
        };
        await server.CallOkAsync("create_detection_rule", rule);

        var (code, message) = await server.CallErrorAsync("create_detection_rule", rule);

        Assert.Equal("conflict", code);
        Assert.Contains("already exists", message, StringComparison.Ordinal);
        Assert.Contains((await fixture.Control.GetRequestsAsync(Ct)), r => r.Method == "POST" && r.Path.EndsWith("/detectionRules", StringComparison.Ordinal) && r.Status == 409);
    }
}
