using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;
using DefenderMcp.Tests.Tools;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Response;

/// <summary>
/// get_device by a short host name and its isolation and app-restriction state (read from the machine actions, as the
/// API has no such machine property); the package link asked too early; the role a cancel's 403 names. Our server
/// against the emulator over HTTPS; actions stay pending for 3 s so "pending" can be seen on a loaded machine.
/// </summary>
public sealed class DeviceStateTests(CancellableActionsEmulatorFixture fixture) : IClassFixture<CancellableActionsEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static McpClientOptions Accepting() => new()
    {
        Handlers = new McpClientHandlers
        {
            ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult
            {
                Action = "accept",
                Content = new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(true) },
            }),
        },
    };

    private Task<ServerHarness> RespondAsync() =>
        ServerHarness.StartAsync(fixture.Emulator, s => s with { ActionPollInterval = TimeSpan.FromMilliseconds(100) }, ActionTier.Respond, ConfirmationMode.Elicitation, Accepting());

    private static (string Isolation, string Restriction) State(JsonElement device) =>
        (device.GetProperty("isolation").GetString()!, device.GetProperty("app_restriction").GetString()!);

    private async Task WaitAsync(ServerHarness server, string actionId) =>
        Assert.Equal("Succeeded", (await server.CallOkAsync("get_machine_action", new() { ["action_id"] = actionId, ["wait_seconds"] = 60 })).GetProperty("action").GetProperty("status").GetString());

    [Fact]
    public async Task Isolation_and_restriction_follow_the_devices_actions_from_pending_to_done_and_back()
    {
        await using var server = await RespondAsync();
        const string Device = "ctso-exec-lt-039.contoso.com";
        var before = State(await server.CallOkAsync("get_device", new() { ["device"] = Device }));

        var isolate = await server.CallOkAsync("isolate_device", new() { ["device"] = Device, ["comment"] = "contain", ["isolation_type"] = "Selective" });
        var restrict = await server.CallOkAsync("restrict_app_execution", new() { ["device"] = Device, ["comment"] = "contain" });
        var pending = State(await server.CallOkAsync("get_device", new() { ["device"] = Device }));
        await WaitAsync(server, isolate.GetProperty("action_id").GetString()!);
        await WaitAsync(server, restrict.GetProperty("action_id").GetString()!);
        var done = State(await server.CallOkAsync("get_device", new() { ["device"] = Device }));
        var release = await server.CallOkAsync("release_device", new() { ["device"] = Device, ["comment"] = "clean" });
        var releasing = State(await server.CallOkAsync("get_device", new() { ["device"] = Device }));
        await WaitAsync(server, release.GetProperty("action_id").GetString()!);
        var released = State(await server.CallOkAsync("get_device", new() { ["device"] = Device }));

        Assert.Equal(("not_isolated", "not_restricted"), before);
        Assert.Equal(("isolation_pending", "restriction_pending"), pending);
        Assert.Equal(("isolated_selective", "restricted"), done);
        Assert.Equal(("release_pending", "restricted"), releasing);
        Assert.Equal(("not_isolated", "restricted"), released);
        // The state comes from the actions' history (the machine object has no such field): one filtered list per read.
        var requests = await fixture.Control.GetRequestsAsync(Ct);
        Assert.Contains(requests, r => r.Method == "GET" && r.Path == "/api/machineactions" && r.Query.Contains("machineId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_short_host_name_finds_its_one_device_names_every_candidate_when_shared_and_is_not_found_when_unknown()
    {
        await using var server = await RespondAsync();
        await fixture.Control.AddMachineAsync("contoso", "ctso-hr-lt-018.contoso.com", "ctso-hr-lt-018.branch.contoso.com", Ct);

        var unique = await server.CallOkAsync("get_device", new() { ["device"] = "CTSO-FIN-LT-011" });
        var (sharedCode, sharedMessage) = await server.CallErrorAsync("get_device", new() { ["device"] = "ctso-hr-lt-018" });
        var (unknownCode, _) = await server.CallErrorAsync("get_device", new() { ["device"] = "ctso-nosuch-01" });
        var full = await server.CallOkAsync("get_device", new() { ["device"] = "ctso-hr-lt-018.branch.contoso.com" });

        Assert.Equal("ctso-fin-lt-011.contoso.com", unique.GetProperty("device").GetProperty("name").GetString());
        Assert.Equal("invalid_input", sharedCode);
        Assert.Contains("ctso-hr-lt-018.contoso.com", sharedMessage, StringComparison.Ordinal);
        Assert.Contains("ctso-hr-lt-018.branch.contoso.com", sharedMessage, StringComparison.Ordinal);
        Assert.Contains("full computer DNS name", sharedMessage, StringComparison.Ordinal);
        Assert.Equal("not_found", unknownCode);
        Assert.Equal("ctso-hr-lt-018.branch.contoso.com", full.GetProperty("device").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_bulk_action_takes_short_host_names_too_and_leaves_out_a_shared_one_naming_the_candidates()
    {
        await using var server = await RespondAsync();
        await fixture.Control.AddMachineAsync("contoso", "ctso-sales-lt-067.contoso.com", "ctso-sales-lt-067.branch.contoso.com", Ct);

        var preview = await server.CallOkAsync("run_antivirus_scan", new() { ["devices"] = new[] { "ctso-fin-lt-046", "ctso-sales-lt-067" }, ["comment"] = "sweep", ["dry_run"] = true });

        var target = Assert.Single(preview.GetProperty("targets").EnumerateArray());
        Assert.Equal("ctso-fin-lt-046.contoso.com", target.GetProperty("target").GetProperty("name").GetString());
        var refused = Assert.Single(preview.GetProperty("refused").EnumerateArray());
        Assert.Equal("ctso-sales-lt-067", refused.GetProperty("target").GetString());
        Assert.Contains("ctso-sales-lt-067.branch.contoso.com", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_package_link_asked_too_early_is_not_ready_and_an_unknown_or_other_action_is_told_apart()
    {
        await using var server = await RespondAsync();
        var collect = await server.CallOkAsync("collect_investigation_package", new() { ["device"] = "ctso-sales-lt-032.contoso.com", ["comment"] = "IR" });
        var scan = await server.CallOkAsync("run_antivirus_scan", new() { ["device"] = "ctso-sales-lt-032.contoso.com", ["comment"] = "scan" });
        var collectId = collect.GetProperty("action_id").GetString()!;

        var early = await server.CallErrorAsync("get_investigation_package_uri", new() { ["action_id"] = collectId });
        var unknown = await server.CallErrorAsync("get_investigation_package_uri", new() { ["action_id"] = Guid.NewGuid().ToString() });
        var other = await server.CallErrorAsync("get_investigation_package_uri", new() { ["action_id"] = scan.GetProperty("action_id").GetString() });
        await WaitAsync(server, collectId);
        var link = await server.CallOkAsync("get_investigation_package_uri", new() { ["action_id"] = collectId });

        Assert.Equal("not_ready", early.Code);
        Assert.Contains("not ready yet", early.Message, StringComparison.Ordinal);
        Assert.Contains("get_machine_action", early.Message, StringComparison.Ordinal);
        Assert.Equal("not_found", unknown.Code);
        Assert.Equal("invalid_input", other.Code);
        Assert.Contains("RunAntiVirusScan", other.Message, StringComparison.Ordinal);
        Assert.StartsWith("https://", link.GetProperty("uri").GetString(), StringComparison.Ordinal);
        // Only the last call asked Defender for a link (it allows 2 a minute): the others read the action instead.
        Assert.Single(await fixture.Control.GetRequestsAsync(Ct), r => r.Path.EndsWith("/GetPackageUri", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cancel_refused_for_a_missing_role_names_the_cancelled_actions_own_role_and_the_alternatives()
    {
        await using var server = await RespondAsync();
        var scan = await server.CallOkAsync("run_antivirus_scan", new() { ["device"] = "ctso-eng-ws-025.contoso.com", ["comment"] = "scan", ["scan_type"] = "Full" });
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 403, PathPattern = "^/api/machineactions/[^/]+/cancel$", Method = "POST" }, Ct);

        var (code, message) = await server.CallErrorAsync("cancel_machine_action", new() { ["action_id"] = scan.GetProperty("action_id").GetString(), ["comment"] = "not needed" });

        Assert.Equal("permission_denied", code);
        Assert.Contains("needs the application role Machine.Scan (the role of the RunAntiVirusScan action", message, StringComparison.Ordinal);
        Assert.Contains("Machine.LiveResponse also works", message, StringComparison.Ordinal);
    }
}
