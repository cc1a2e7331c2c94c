using System.Text.Json;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;
using DefenderMcp.Tests.Tools;
using Json.Schema;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// Every read tool against a hostile upstream: the emulator answers each Graph and MDE call of the tenant with its
/// real body rewritten (<see cref="ShapeRewriter"/>: values of the wrong JSON kind, nulls, nesting beyond the parser's
/// depth, megabytes of strings, a list page that links to itself, an envelope of the wrong kinds). Each call must return, within a bounded number of
/// requests, with a result that still matches the tool's own outputSchema
/// or a specific error (never internal_error) that does not echo the body; and once the fault is gone the same server
/// answers the same call normally, so nothing (caches, tokens) was poisoned. A result under the fault carries no upstream
/// string longer than the longest field a tool keeps (10,000 characters, a rule's query): the <c>huge</c> mode checks
/// that every string is clipped. The tools come from tools/list, so a new
/// read tool fails here until it has sample arguments. Write tools (and schedule_hunt/unschedule_hunt, which change
/// the server's own state) are out of scope: only tools with readOnlyHint are called. A tool that answers per tenant
/// is also called across tenants, where the hostile tenant is an error entry. The token endpoint is left out of that
/// fault; its own case sends a fresh server the rewritten token answer.
/// </summary>
public sealed class HostileUpstreamTests(HostileUpstreamFixture fixture) : IClassFixture<HostileUpstreamFixture>
{
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(90);

    // Valid arguments for each read tool, from the fixture's ids where the tool needs one.
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, string>, Dictionary<string, object?>>> Samples = new(StringComparer.Ordinal)
    {
        ["get_alert"] = ids => new() { ["alert_id"] = ids["alert"] },
        ["get_detection_rule"] = ids => new() { ["rule_id"] = ids["rule"] },
        ["get_device"] = ids => new() { ["device"] = ids["device"] },
        ["get_device_logon_users"] = ids => new() { ["device"] = ids["device"] },
        ["get_domain_info"] = _ => new() { ["domain"] = "contoso-payroll-update.com" },
        ["get_exposure_score"] = _ => [],
        ["get_file_info"] = _ => new() { ["hash"] = "ecb2a5847841bc1130fb401405cf8114a2b2621e" },
        ["get_hunt_results"] = _ => new() { ["name"] = "delivered-phish" },
        ["get_hunting_results"] = ids => new() { ["result_id"] = ids["hunting_result"], ["offset"] = 2, ["limit"] = 3 },
        ["get_hunting_schema"] = _ => new() { ["table"] = "DeviceProcessEvents" },
        ["get_incident"] = _ => new() { ["incident_id"] = "4301" },
        ["get_investigation_package_uri"] = ids => new() { ["action_id"] = ids["package"] },
        ["get_ip_info"] = _ => new() { ["ip"] = "185.220.101.47" },
        ["get_live_response_result"] = ids => new() { ["action_id"] = ids["live_response"], ["command_index"] = 0, ["limit"] = 50 },
        ["get_machine_action"] = ids => new() { ["action_id"] = ids["scan"] },
        ["get_secure_score"] = _ => new() { ["limit"] = 2 },
        ["get_server_status"] = _ => [],
        ["get_user_info"] = _ => new() { ["user"] = "adele.vance@contoso.com" },
        ["get_vulnerability"] = _ => new() { ["cve"] = "CVE-2023-36884" },
        ["list_alerts"] = _ => new() { ["limit"] = 5 },
        ["list_detection_rules"] = _ => new() { ["limit"] = 5 },
        ["list_devices"] = _ => new() { ["limit"] = 5 },
        ["list_incidents"] = _ => new() { ["limit"] = 5 },
        ["list_indicators"] = _ => new() { ["limit"] = 5 },
        ["list_library_files"] = _ => [],
        ["list_machine_actions"] = _ => new() { ["limit"] = 5 },
        ["list_missing_updates"] = _ => new() { ["device"] = "ctso-hr-lt-088.contoso.com" },
        ["list_saved_hunts"] = _ => [],
        ["list_security_recommendations"] = _ => new() { ["limit"] = 5 },
        ["list_software"] = _ => new() { ["limit"] = 5 },
        ["list_vulnerabilities"] = _ => new() { ["limit"] = 5 },
        ["query_advanced_hunting"] = _ => new() { ["query"] = "DeviceProcessEvents | take 5" },
        ["run_saved_hunt"] = _ => new() { ["name"] = "encoded-powershell" },
    };

    public static TheoryData<string> Modes => new("confused", "nulls", "deep", "huge", "loop", "envelope", "long-ids");

    public static TheoryData<string> TokenModes => new("confused", "nulls", "deep", "huge");

    // The most API requests one read call may make under a fault (a get_incident with its alerts, a pivot with its
    // devices); a pager that follows a link back to itself makes hundreds.
    private const int MaxRequestsPerCall = 25;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IEnumerable<Tool> ReadTools => fixture.Tools.Values.Where(t => t.Annotations?.ReadOnlyHint == true).OrderBy(t => t.Name, StringComparer.Ordinal);

    [Fact]
    public void Every_listed_read_tool_has_sample_arguments()
    {
        var missing = ReadTools.Select(t => t.Name).Where(n => !Samples.ContainsKey(n)).ToList();
        var stale = Samples.Keys.Where(n => !fixture.Tools.TryGetValue(n, out var t) || t.Annotations?.ReadOnlyHint != true).ToList();

        Assert.True(missing.Count == 0, $"read tools without sample arguments here: {string.Join(", ", missing)}");
        Assert.True(stale.Count == 0, $"sample arguments for tools that are not listed read tools: {string.Join(", ", stale)}");
        Assert.True(Samples.Count >= 30, "the read tools are not all listed: is every toolset enabled?");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Every_read_tool_survives_a_hostile_upstream(string mode)
    {
        // A server of its own per mode: a case must not spend another's client-side rate budget.
        var (server, ids) = await fixture.StartServerAsync();
        await using var owned = server;
        var failures = new List<string>();
        var changed = 0;
        foreach (var tool in ReadTools.Where(t => Samples.ContainsKey(t.Name)))
        {
            var schema = JsonSchema.Build(tool.OutputSchema!.Value, baseUri: new Uri($"https://defender-mcp.test/hostile/{mode}/{tool.Name}/{Guid.NewGuid():N}"));
            var args = Samples[tool.Name](ids);

            (CallToolResult? Result, string? Failure) hostile;
            await AddFaultsAsync(mode);
            try
            {
                await fixture.Control.ClearRequestsAsync(Ct);
                hostile = await CallAsync(server, tool.Name, args);
                failures.AddRange(Check(tool.Name, mode, schema, hostile, hostileBody: true));
                var requests = (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Tenant == "contoso");
                if (requests > MaxRequestsPerCall)
                {
                    failures.Add($"{tool.Name} [{mode}]: one call made {requests} requests to the hostile tenant");
                }
            }
            finally
            {
                await fixture.Control.ClearFaultsAsync(Ct);
            }

            if (FollowsDownloadLinks.Contains(tool.Name))
            {
                await AddFaultsAsync(mode, downloadsOnly: true);
                try
                {
                    failures.AddRange(Check(tool.Name, mode + ", download", schema, await CallAsync(server, tool.Name, args), hostileBody: true));
                }
                finally
                {
                    await fixture.Control.ClearFaultsAsync(Ct);
                }
            }

            // Across tenants, the hostile one is an error entry beside fabrikam's result.
            if (tool.OutputSchema!.Value.GetProperty("$defs").TryGetProperty("fan_out", out _))
            {
                await AddFaultsAsync(mode);
                try
                {
                    var fanOut = await CallAsync(server, tool.Name, new Dictionary<string, object?>(args) { ["tenant"] = "*" });
                    failures.AddRange(Check(tool.Name, mode + ", fan-out", schema, fanOut, hostileBody: true));
                }
                finally
                {
                    await fixture.Control.ClearFaultsAsync(Ct);
                }
            }

            var normal = await CallAsync(server, tool.Name, Samples[tool.Name](ids));
            if (hostile.Result is { } h && normal.Result is { } n && Text(h) != Text(n))
            {
                changed++;
            }

            if (normal.Result is { IsError: true } || normal.Result is null)
            {
                failures.Add($"{tool.Name} [{mode}] after the fault was cleared: {normal.Failure ?? Text(normal.Result!)}");
            }
            else
            {
                failures.AddRange(Check(tool.Name, mode + ", after", schema, normal, hostileBody: false));
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures in mode {mode}:\n" + string.Join("\n", failures));

        // The fault reached the tools: most answers differ from the normal ones (not all: some tools read only the
        // server's own state, e.g. list_saved_hunts).
        Assert.True(changed >= Samples.Count / 2, $"only {changed} tools answered differently under the {mode} fault");
    }

    // Every API call of the tenant (not the token endpoint), as often as it comes; and contoso's live response output
    // downloads, which carry no token (a signed link) and so no tenant the emulator can match a fault to.
    private async Task AddFaultsAsync(string mode, bool downloadsOnly = false)
    {
        if (!downloadsOnly)
        {
            await fixture.Control.AddFaultAsync(new FaultSpec { Body = mode, Count = 0, Tenant = "contoso", PathPattern = "^/(?!.*/oauth2/)" }, Ct);
        }

        await fixture.Control.AddFaultAsync(new FaultSpec { Body = mode, Count = 0, PathPattern = DownloadPath }, Ct);
    }

    // The signed output link of a live response; a tool that follows one is also called with only the download hostile,
    // since a hostile API answer already stops it before the link.
    private const string DownloadPath = "/contoso/[^/]+/CustomPlaybookCommandOutput/";

    private static readonly HashSet<string> FollowsDownloadLinks = new(StringComparer.Ordinal) { "get_live_response_result" };

    [Theory]
    [MemberData(nameof(TokenModes))]
    public async Task A_hostile_token_answer_is_an_error_and_leaves_no_token_behind(string mode)
    {
        // A server that holds no token yet, so its first call meets the rewritten token answer.
        await using var server = await ServerHarness.StartAsync(fixture.Emulator);
        var tool = fixture.Tools["list_devices"];
        var schema = JsonSchema.Build(tool.OutputSchema!.Value, baseUri: new Uri($"https://defender-mcp.test/hostile-token/{mode}/{Guid.NewGuid():N}"));
        var failures = new List<string>();

        await fixture.Control.AddFaultAsync(new FaultSpec { Body = mode, Count = 0, Tenant = "contoso", PathPattern = "/oauth2/v2.0/token$" }, Ct);
        try
        {
            var hostile = await CallAsync(server, "list_devices", new() { ["limit"] = 1 });
            failures.AddRange(Check("list_devices", mode + ", token", schema, hostile, hostileBody: true));
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }

        var normal = await CallAsync(server, "list_devices", new() { ["limit"] = 1 });
        if (normal.Result is not { IsError: not true })
        {
            failures.Add($"list_devices [{mode}, token] after the fault was cleared: {normal.Failure ?? Text(normal.Result!)}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<(CallToolResult? Result, string? Failure)> CallAsync(ServerHarness server, string tool, Dictionary<string, object?> args)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(CallBound);
        try
        {
            return (await server.Client.CallToolAsync(tool, args, cancellationToken: bound.Token), null);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return (null, $"did not return within {CallBound.TotalSeconds} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, $"the call threw {ex.GetType().Name}: {Truncate(ex.Message)}");
        }
    }

    private static IEnumerable<string> Check(string tool, string mode, JsonSchema schema, (CallToolResult? Result, string? Failure) call, bool hostileBody)
    {
        if (call.Result is not { } result)
        {
            yield return $"{tool} [{mode}]: {call.Failure}";
            yield break;
        }

        if (result.StructuredContent is not { } structured)
        {
            yield return $"{tool} [{mode}]: no structured content: {Truncate(Text(result))}";
            yield break;
        }

        var violations = OutputSchemaProbe.Violations(schema, structured);
        if (violations.Count > 0)
        {
            yield return $"{tool} [{mode}]: does not match its outputSchema: {string.Join("; ", violations.Take(3))}; output: {Truncate(structured.GetRawText())}";
        }

        if (result.IsError != true)
        {
            // Upstream strings are clipped before they reach a model: the longest any tool keeps is a rule's query.
            if (hostileBody && LongStrings(structured, "$").FirstOrDefault() is { } path)
            {
                yield return $"{tool} [{mode}]: an upstream string of over {MaxString} characters passed through unclipped at {path}";
            }

            // A fan-out envelope's error entries are errors like any other.
            if (structured.TryGetProperty("results", out var entries) && structured.TryGetProperty("fan_out", out _) && entries.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in entries.EnumerateArray())
                {
                    if (entry.TryGetProperty("error", out var entryError))
                    {
                        foreach (var failure in CheckError(tool, mode, entryError, hostileBody))
                        {
                            yield return failure;
                        }
                    }
                }
            }

            yield break;
        }

        if (!structured.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            yield return $"{tool} [{mode}]: an error without its error object: {Truncate(structured.GetRawText())}";
            yield break;
        }

        foreach (var failure in CheckError(tool, mode, error, hostileBody))
        {
            yield return failure;
        }
    }

    private static IEnumerable<string> CheckError(string tool, string mode, JsonElement error, bool hostileBody)
    {
        var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
        var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
        if (code == "internal_error")
        {
            yield return $"{tool} [{mode}]: internal_error: {Truncate(message)}";
        }

        if (hostileBody && (message.Contains(ShapeRewriter.ConfusedMarker, StringComparison.Ordinal) || message.Contains("[[[[", StringComparison.Ordinal) || message.Length > 2000))
        {
            yield return $"{tool} [{mode}]: the error echoes the upstream body: {Truncate(message)}";
        }
    }

    private const int MaxString = 10_000;

    private static IEnumerable<string> LongStrings(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => LongStrings(p.Value, $"{path}.{p.Name}")),
        JsonValueKind.Array => element.EnumerateArray().SelectMany((e, i) => LongStrings(e, $"{path}[{i}]")),
        JsonValueKind.String when element.GetString()!.Length > MaxString + "…[truncated]".Length => [path],
        _ => [],
    };

    private static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "(no text)";

    private static string Truncate(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
