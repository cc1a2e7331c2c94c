using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// One emulator (this class injects faults, so it is its own) and one server with every toolset and write tier, plus
/// the ids the read tools need: an alert, a detection rule, a finished scan, a collected investigation package, a
/// finished live response and a cached hunting result, all made before any fault is set.
/// </summary>
public sealed class HostileUpstreamFixture : IAsyncLifetime
{
    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public ServerHarness Server { get; private set; } = null!;

    /// <summary>Every tool tools/list advertises, by name.</summary>
    public IReadOnlyDictionary<string, Tool> Tools { get; private set; } = null!;

    /// <summary>The ids made at start, by what they are (see <see cref="HostileUpstreamTests"/>' sample table).</summary>
    public IReadOnlyDictionary<string, string> Ids { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { ActionPendingTime = TimeSpan.FromMilliseconds(100), ActionInProgressTime = TimeSpan.FromMilliseconds(100) },
            TestContext.Current.CancellationToken);
        Control = Emulator.CreateControlClient();
        (Server, _) = await StartServerAsync();
        var listed = await Server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Tools = listed.ToDictionary(t => t.Name, t => t.ProtocolTool, StringComparer.Ordinal);

        var devices = (await Server.CallOkAsync("list_devices", new() { ["limit"] = 100 })).GetProperty("devices").EnumerateArray()
            .Where(d => !d.GetProperty("tags").EnumerateArray().Any(t => t.GetString() is "DomainController" or "Tier0"))
            .Select(d => d.GetProperty("name").GetString()!)
            .Where(n => !n.Contains("-srv-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device"] = devices[0],
            ["alert"] = (await Server.CallOkAsync("list_alerts", new() { ["limit"] = 1 })).GetProperty("alerts")[0].GetProperty("id").GetString()!,
        };

        await Server.CallOkAsync("create_detection_rule", new()
        {
            ["display_name"] = "Hostile upstream test",
            ["query"] = "DeviceProcessEvents | where ProcessCommandLine contains '-enc'",
            ["frequency"] = "PT1H",
            ["alert_title"] = "Hostile upstream test",
            ["severity"] = "low",
            ["tactic"] = "Execution",
        });
        ids["rule"] = (await Server.CallOkAsync("list_detection_rules", new() { ["limit"] = 100 })).GetProperty("rules").EnumerateArray()
            .Single(r => r.GetProperty("displayName").GetString() == "Hostile upstream test").GetProperty("id").GetString()!;

        ids["scan"] = await NewActionAsync("run_antivirus_scan", devices[1], new() { ["scan_type"] = "Quick" });
        ids["package"] = await NewActionAsync("collect_investigation_package", devices[2], new());
        var script = await Server.CallOkAsync("run_live_response_script", new() { ["device"] = devices[3], ["script"] = "list-processes.ps1", ["wait_seconds"] = 30 });
        ids["live_response"] = script.GetProperty("action_id").GetString()!;
        // An indicator, so list_indicators has an item to read.
        await Server.CallOkAsync("add_indicator", new() { ["indicator_type"] = "DomainName", ["value"] = "hostile-upstream.example", ["action"] = "Block", ["title"] = "hostile upstream test", ["description"] = "hostile upstream test" });

        Ids = ids;
    }

    /// <summary>
    /// A server like <see cref="Server"/>, with its own client-side rate windows (the investigation package link allows
    /// 2 calls a minute), a scheduled hunt (its first run at once, the next in an hour) for get_hunt_results, and a
    /// cached hunting result for get_hunting_results (its id in the ids returned, beside <see cref="Ids"/>).
    /// </summary>
    public async Task<(ServerHarness Server, IReadOnlyDictionary<string, string> Ids)> StartServerAsync()
    {
        var server = await ServerHarness.StartAsync(
            Emulator,
            s => s with { ActionPollInterval = TimeSpan.FromMilliseconds(50), Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { MaxActionsPerHour = 1000 } })] },
            ActionTier.LiveResponse,
            ConfirmationMode.None);
        await server.CallOkAsync("schedule_hunt", new() { ["name"] = "delivered-phish", ["every"] = "PT1H" });
        var hunt = await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceProcessEvents | take 50", ["max_rows"] = 10 });
        return (server, new Dictionary<string, string>(Ids ?? new Dictionary<string, string>(), StringComparer.Ordinal) { ["hunting_result"] = hunt.GetProperty("result_id").GetString()! });
    }

    // A machine action of its own on a device, waited for until it ends.
    private async Task<string> NewActionAsync(string tool, string device, Dictionary<string, object?> extra)
    {
        var list = new Dictionary<string, object?> { ["device"] = device, ["limit"] = 100 };
        var before = ActionIds(await Server.CallOkAsync("list_machine_actions", list));
        await Server.CallOkAsync(tool, new Dictionary<string, object?>(extra) { ["device"] = device, ["comment"] = "hostile upstream test" });
        var after = ActionIds(await Server.CallOkAsync("list_machine_actions", list));
        var id = Assert.Single(after.Except(before));
        await Server.CallOkAsync("get_machine_action", new() { ["action_id"] = id, ["wait_seconds"] = 30 });
        return id;
    }

    private static HashSet<string> ActionIds(JsonElement list) =>
        [.. list.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Control.Dispose();
        await Emulator.DisposeAsync();
    }
}
