using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Hosting;
using DefenderMcp.Mcp;
using DefenderMcp.State;
using DefenderMcp.Tests.Support;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// Every tool the server can expose (every toolset, up to the live_response tier) called with hostile arguments made
/// from its own advertised inputSchema (<see cref="HostileParameter"/>): each parameter in turn gets values of the
/// wrong JSON type, empty, 100,000-character, control-character, lone-surrogate, path- and OData-injection strings,
/// numbers past every bound, 10,000-item and 200-deep arrays, and unknown tenant keys; each tool also gets unknown and
/// case-twin extra arguments. Every call must answer as a tool result: a value the schema refuses is a tool error with a
/// documented code (never internal_error), sent before any request reaches the emulator, with no confirmation asked and
/// no action budget spent, whose text echoes no long run of the value, no raw control character, no unknown tenant key
/// and no exception text. A value the schema accepts may answer normally or with a documented error. After the run
/// the same session still answers normal calls.
/// </summary>
public sealed class HostileArgumentsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly DirectoryInfo _uploads = UploadFolder();

    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(30);

    private const string Guid = "3f2a4c6e-0b1d-4e5f-8a9b-0c1d2e3f4a5b";

    // A valid value for each parameter a tool requires (and a few it is given anyway), as JSON.
    private static readonly Dictionary<string, string> Samples = new(StringComparer.Ordinal)
    {
        ["action_id"] = $"\"{Guid}\"",
        ["alert_id"] = "\"da638000000000000000_1\"",
        ["command_index"] = "0",
        ["comment"] = "\"hostile argument test\"",
        ["cve"] = "\"CVE-2023-36884\"",
        ["device"] = "\"ctso-hr-lt-088.contoso.com\"",
        ["domain"] = "\"contoso-payroll-update.com\"",
        ["every"] = "\"PT1H\"",
        ["file"] = $"\"{LibraryFile}\"",
        ["hash"] = "\"ecb2a5847841bc1130fb401405cf8114a2b2621e\"",
        ["incident_id"] = "\"4301\"",
        ["indicator_ids"] = "[\"1\"]",
        ["indicator_type"] = "\"DomainName\"",
        ["action"] = "\"Block\"",
        ["indicators"] = "[{\"indicator_type\":\"DomainName\",\"value\":\"hostile-arguments.example\",\"action\":\"Block\",\"title\":\"hostile argument test\",\"description\":\"hostile argument test\"}]",
        ["ip"] = "\"185.220.101.47\"",
        ["name"] = "\"delivered-phish\"",
        ["path"] = "\"C:\\\\Windows\\\\Temp\\\\hostile-arguments.txt\"",
        ["query"] = "\"DeviceProcessEvents | take 1\"",
        ["result_id"] = "\"hr_0123456789abcdef\"",
        ["rule_id"] = "\"hostile-arguments-rule\"",
        ["script"] = "\"list-processes.ps1\"",
        ["sha1"] = "\"ecb2a5847841bc1130fb401405cf8114a2b2621e\"",
        ["user"] = "\"adele.vance@contoso.com\"",
        ["value"] = "\"hostile-arguments.example\"",
        // Given wherever a tool takes them: a device to act on, and no wait for a live response.
        ["wait_seconds"] = "0",
    };

    // Where a tool's parameter means something else than the same name elsewhere.
    private static readonly Dictionary<(string Tool, string Parameter), string> ToolSamples = new()
    {
        [("upload_library_file", "path")] = $"\"{LibraryFile}\"",
        [("upload_library_file", "override")] = "true",
    };

    // A script in the upload folder; put in the tenant's library before the tools that need it there.
    private const string LibraryFile = "hostile-arguments.ps1";

    private static readonly HashSet<string> NeedLibraryFile = new(StringComparer.Ordinal) { "delete_library_file", "live_response_put_file" };

    // Optional arguments a tool's baseline call carries, so that the call would reach Defender.
    private static readonly Dictionary<string, string[]> AlwaysGiven = new(StringComparer.Ordinal)
    {
        ["undo_action"] = ["action_id"],
        ["update_alert"] = ["status"],
        ["update_incident"] = ["status"],
        ["update_detection_rule"] = ["enabled"],
        ["upload_library_file"] = ["override"],
    };

    // A parameter that replaces another: given together they are refused whatever their values.
    private static readonly Dictionary<string, string> Replaces = new(StringComparer.Ordinal)
    {
        ["devices"] = "device",
        ["indicator_id"] = "action_id",
    };

    private static readonly IReadOnlySet<string> DocumentedCodes = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    private static readonly Regex ExceptionText = new(@"Exception|\bSystem\.[A-Z]\w+|\bDefenderMcp\.[A-Z]\w+\.|^\s+at |\bat [A-Z]\w+\.[A-Z]\w+\(", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Tools => new(ToolCatalog.Entries.Select(e => e.Definition.Name).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Every_catalog_tool_is_listed_with_every_toolset_and_tier_enabled()
    {
        await using var server = await StartAsync([]);
        var listed = (await server.Client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(ToolCatalog.Entries.Select(e => e.Definition.Name).Order(StringComparer.Ordinal), listed);
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task Hostile_arguments_are_refused_before_any_request_and_never_crash_a_call(string tool)
    {
        var elicited = new List<string>();
        await using var server = await StartAsync(elicited);
        var schema = (await server.Client.ListToolsAsync(cancellationToken: Ct)).Single(t => t.Name == tool).ProtocolTool.InputSchema;
        var tenantKeys = server.Settings.Tenants.Select(t => t.Key).ToList();
        var parameters = schema.GetProperty("properties").EnumerateObject().Select(p => HostileParameter.From(p.Name, schema, tenantKeys)).ToList();
        var baseline = Baseline(tool, schema, parameters);
        var failures = new List<string>();

        await PrepareAsync(server, tool);
        var first = await CallAsync(server, tool, baseline);
        if (first.Failure is not null || Code(first.Result!) is ErrorCodes.InvalidInput or ErrorCodes.InternalError)
        {
            Assert.Fail($"{tool}: the valid baseline call {Show(baseline)} failed: {first.Failure ?? Text(first.Result!)}");
        }

        var probes = Probes(parameters, baseline).ToList();
        var (refused, valid) = (probes.Where(p => p.MustRefuse).ToList(), probes.Where(p => !p.MustRefuse).ToList());
        Assert.NotEmpty(refused);

        // Refused values: one look at the request log for all of them, and one call at a time only if something got through.
        await QuietAsync(tool);
        await fixture.Control.ClearRequestsAsync(Ct);
        foreach (var probe in refused)
        {
            failures.AddRange(await RunAsync(server, elicited, tool, probe));
        }

        if ((await fixture.Control.GetRequestsAsync(Ct)).Count > 0)
        {
            foreach (var probe in refused)
            {
                await fixture.Control.ClearRequestsAsync(Ct);
                _ = await CallAsync(server, tool, probe.Arguments);
                if (await fixture.Control.GetRequestsAsync(Ct) is { Count: > 0 } requests)
                {
                    failures.Add($"{tool} {probe.Label}: refused only after {requests.Count} request(s) reached the emulator: {string.Join(", ", requests.Take(3).Select(r => $"{r.Method} {r.Path}"))}");
                }
            }
        }

        // Valid values: any documented answer; one that reaches Defender arrives escaped, never as URL or OData syntax.
        foreach (var probe in valid)
        {
            await fixture.Control.ClearRequestsAsync(Ct);
            failures.AddRange(await RunAsync(server, elicited, tool, probe));
            foreach (var request in await fixture.Control.GetRequestsAsync(Ct))
            {
                if (Injected(request) is { } how)
                {
                    failures.Add($"{tool} {probe.Label}: the value reached Defender {how}: {request.Method} {Clip(request.Path + request.Query)}");
                }
            }
        }

        // The session still answers: the tool's own valid call, and an ordinary read.
        await PrepareAsync(server, tool);
        var after = await CallAsync(server, tool, baseline);
        if (after.Failure is not null || Code(after.Result!) is ErrorCodes.InvalidInput or ErrorCodes.InternalError)
        {
            failures.Add($"{tool}: after the run, the valid baseline call failed: {after.Failure ?? Text(after.Result!)}");
        }

        var status = await CallAsync(server, "list_incidents", new() { ["limit"] = JsonSerializer.SerializeToElement(1) });
        if (status.Result is not { IsError: not true })
        {
            failures.Add($"{tool}: after the run, list_incidents failed: {status.Failure ?? Text(status.Result!)}");
        }

        // One audit line per call, and none keeps what was refused: an unknown tenant key or a long run of a bad value.
        var audit = server.AuditWriter.ToString();
        var lines = server.AuditLines().Count(l => l.TryGetProperty("tool", out var t) && t.GetString() == tool);
        if (lines < probes.Count)
        {
            failures.Add($"{tool}: {probes.Count} hostile calls wrote {lines} audit lines");
        }

        if (audit.Contains(HostileParameter.UnknownTenantMarker, StringComparison.Ordinal) || audit.Contains(HostileParameter.Huge[..200], StringComparison.Ordinal) || audit.Contains(new string('z', 200), StringComparison.Ordinal))
        {
            failures.Add($"{tool}: the audit trail keeps an unknown tenant key or a refused value");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} hostile calls of {tool} failed:\n" + string.Join("\n", failures.Take(100)));
    }

    public void Dispose() => _uploads.Delete(recursive: true);

    private static DirectoryInfo UploadFolder()
    {
        var folder = Directory.CreateTempSubdirectory("defender-mcp-hostile-arguments-");
        File.WriteAllText(Path.Combine(folder.FullName, LibraryFile), "Write-Output 'hostile argument test'\n");
        return folder;
    }

    private ServerSettings Configure(ServerSettings settings) => settings with
    {
        ActionPollInterval = TimeSpan.FromMilliseconds(50),
        LiveResponse = settings.LiveResponse with { UploadFolder = _uploads.FullName },
        // The client's own per-minute quotas would turn the valid calls of one tool into rate_limited answers.
        Tenants = [.. settings.Tenants.Select(t => t with { Connection = t.Connection with { RateLimits = DefenderRateLimits.None }, Policy = t.Policy with { MaxActionsPerHour = 1000 } })],
    };

    [Fact]
    public async Task Arguments_the_sdk_client_cannot_write_are_refused_before_any_request()
    {
        var settings = Configure(DemoEnvironment.SettingsFor(fixture.Emulator, ActionTier.LiveResponse, ConfirmationMode.Elicitation) with { Toolsets = ToolCatalog.ToolsetNames.ToHashSet(StringComparer.Ordinal) });
        await using var raw = await RawServerConnection.StartAsync(settings, Ct);
        var tenantKeys = settings.Tenants.Select(t => t.Key).ToList();
        var listed = (await RawAsync(raw, "tools/list", "{}")).GetProperty("result").GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(ToolCatalog.Entries.Count, listed.Count);
        var failures = new List<string>();
        var count = 0;
        foreach (var tool in listed)
        {
            var name = tool.GetProperty("name").GetString()!;
            var schema = tool.GetProperty("inputSchema");
            var parameters = schema.GetProperty("properties").EnumerateObject().Select(p => HostileParameter.From(p.Name, schema, tenantKeys)).ToList();
            var baseline = Baseline(name, schema, parameters).ToDictionary(a => a.Key, a => a.Value.GetRawText(), StringComparer.Ordinal);
            var probes = new List<(string Label, string Arguments)>();
            foreach (var parameter in parameters)
            {
                foreach (var (label, json) in parameter.RawValues())
                {
                    var arguments = new Dictionary<string, string>(baseline, StringComparer.Ordinal);
                    if (Replaces.TryGetValue(parameter.Name, out var replaced))
                    {
                        arguments.Remove(replaced);
                    }

                    arguments[parameter.Name] = json;
                    probes.Add(($"{parameter.Name}={label}", ObjectText(arguments.Select(a => (a.Key, a.Value)))));
                }
            }

            // An argument named twice, the bad value first and last: one reader may take the first, another the last.
            foreach (var (key, value) in baseline)
            {
                var bad = JsonSerializer.Serialize("ab\0cd");
                var others = baseline.Where(a => a.Key != key).Select(a => (a.Key, a.Value)).ToList();
                probes.Add(($"{key} twice, the bad value first", ObjectText([(key, bad), .. others, (key, value)])));
                probes.Add(($"{key} twice, the bad value last", ObjectText([(key, value), .. others, (key, bad)])));
            }

            // An argument whose name is not valid Unicode, beside the valid ones.
            var rest = ObjectText(baseline.Select(a => (a.Key, a.Value)));
            probes.Add(("an argument named with a lone surrogate escape", "{\"\\ud800x\":1" + (baseline.Count == 0 ? "}" : "," + rest[1..])));

            count += probes.Count;
            await fixture.Control.ClearRequestsAsync(Ct);
            foreach (var (label, arguments) in probes)
            {
                failures.AddRange(CheckRaw($"{name} {label}", await RawAsync(raw, "tools/call", $$"""{"name":"{{name}}","arguments":{{arguments}}}""")));
            }

            if ((await fixture.Control.GetRequestsAsync(Ct)).Count > 0)
            {
                foreach (var (label, arguments) in probes)
                {
                    await fixture.Control.ClearRequestsAsync(Ct);
                    _ = await RawAsync(raw, "tools/call", $$"""{"name":"{{name}}","arguments":{{arguments}}}""");
                    if (await fixture.Control.GetRequestsAsync(Ct) is { Count: > 0 } requests)
                    {
                        failures.Add($"{name} {label}: refused only after {requests.Count} request(s) reached the emulator: {string.Join(", ", requests.Take(3).Select(r => $"{r.Method} {r.Path}"))}");
                    }
                }
            }
        }

        // The session still answers a normal call.
        var normal = await RawAsync(raw, "tools/call", """{"name":"list_incidents","arguments":{"limit":1}}""");
        Assert.False(normal.GetProperty("result").TryGetProperty("isError", out var isError) && isError.GetBoolean(), normal.GetRawText());
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} raw hostile calls failed:\n" + string.Join("\n", failures.Take(100)));
    }

    private static async Task<JsonElement> RawAsync(RawServerConnection raw, string method, string paramsJson)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(CallBound);
        return await raw.RequestAsync(method, paramsJson, bound.Token);
    }

    private static string ObjectText(IEnumerable<(string Key, string Json)> members) =>
        "{" + string.Join(",", members.Select(m => JsonSerializer.Serialize(m.Key) + ":" + m.Json)) + "}";

    // A raw call must be refused: a tool error with a documented code, or a JSON-RPC error that says the message itself
    // was malformed (parse error, invalid request, invalid params), never an internal error.
    private static IEnumerable<string> CheckRaw(string where, JsonElement answer)
    {
        if (answer.TryGetProperty("error", out var rpc))
        {
            var rpcCode = rpc.GetProperty("code").GetInt32();
            var rpcMessage = rpc.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
            if (rpcCode is not (-32700 or -32600 or -32602))
            {
                yield return $"{where}: JSON-RPC error {rpcCode}: {Clip(rpcMessage)}";
            }

            foreach (var failure in CheckError(where, ErrorCodes.InvalidInput, rpcMessage))
            {
                yield return failure;
            }

            yield break;
        }

        var result = answer.GetProperty("result");
        if (!result.TryGetProperty("isError", out var isError) || !isError.GetBoolean())
        {
            yield return $"{where}: accepted: {Clip(result.GetRawText())}";
            yield break;
        }

        var error = result.GetProperty("structuredContent").GetProperty("error");
        foreach (var failure in CheckError(where, error.GetProperty("code").GetString(), error.GetProperty("message").GetString() ?? string.Empty))
        {
            yield return failure;
        }
    }

    // A scheduled hunt's first run starts as schedule_hunt answers and reaches Defender a moment later: wait until the
    // request log stops growing (bounded), so that run is not counted against the refused calls that follow.
    private async Task QuietAsync(string tool)
    {
        if (!StartsBackgroundWork.Contains(tool))
        {
            return;
        }

        var last = -1;
        for (var i = 0; i < 50; i++)
        {
            var count = (await fixture.Control.GetRequestsAsync(Ct)).Count;
            if (count == last)
            {
                return;
            }

            last = count;
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        }
    }

    private static readonly HashSet<string> StartsBackgroundWork = new(StringComparer.Ordinal) { "schedule_hunt" };

    private Task<ServerHarness> StartAsync(List<string> elicited) =>
        ServerHarness.StartAsync(fixture, Configure, ActionTier.LiveResponse, ConfirmationMode.Elicitation, AcceptingClient.Options(elicited));

    // A tool that acts on a library file finds it there, before its baseline call and again after the run (which may have deleted it).
    private static async Task PrepareAsync(ServerHarness server, string tool)
    {
        if (NeedLibraryFile.Contains(tool))
        {
            await server.CallOkAsync("upload_library_file", new() { ["path"] = LibraryFile, ["override"] = true });
        }
    }

    // The valid call each probe changes one argument of: the tool's required parameters, plus those it is always given.
    private static Dictionary<string, JsonElement> Baseline(string tool, JsonElement schema, IReadOnlyList<HostileParameter> parameters)
    {
        var given = AlwaysGiven.GetValueOrDefault(tool, []);
        var properties = schema.GetProperty("properties");
        var baseline = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var parameter in parameters.Where(p => p.Required || given.Contains(p.Name) || p.Name is "device" or "wait_seconds"))
        {
            var property = properties.GetProperty(parameter.Name);
            baseline[parameter.Name] = ToolSamples.TryGetValue((tool, parameter.Name), out var json) || Samples.TryGetValue(parameter.Name, out json) ? JsonDocument.Parse(json).RootElement.Clone()
                : property.TryGetProperty("enum", out var values) ? values[values.GetArrayLength() - 1].Clone()
                : property.TryGetProperty("type", out var type) && type.GetString() == "boolean" ? JsonSerializer.SerializeToElement(false)
                : property.TryGetProperty("type", out type) && type.GetString() == "string" && !property.TryGetProperty("pattern", out _) && !property.TryGetProperty("format", out _) ? JsonSerializer.SerializeToElement("hostile argument test")
                : throw new InvalidOperationException($"{tool}.{parameter.Name}: add a valid sample to {nameof(Samples)}.");
        }

        var validation = JsonSchema.Build(schema, baseUri: new Uri($"https://defender-mcp.test/hostile-arguments/{tool}/{System.Guid.NewGuid():N}"))
            .Evaluate(JsonSerializer.SerializeToElement(baseline));
        Assert.True(validation.IsValid, $"{tool}: the baseline {Show(baseline)} does not match the tool's inputSchema");
        return baseline;
    }

    private static IEnumerable<Probe> Probes(IReadOnlyList<HostileParameter> parameters, Dictionary<string, JsonElement> baseline)
    {
        foreach (var parameter in parameters)
        {
            foreach (var value in parameter.Values())
            {
                var arguments = new Dictionary<string, JsonElement>(baseline, StringComparer.Ordinal);
                if (Replaces.TryGetValue(parameter.Name, out var replaced))
                {
                    arguments.Remove(replaced);
                }

                arguments[parameter.Name] = value.Value;
                yield return new Probe($"{parameter.Name}={value.Label}", arguments, value.MustRefuse, value.Value);
            }
        }

        // Arguments the tool does not take: unknown, unknown with a newline, 10,000 characters long, and a case twin.
        var twin = parameters.FirstOrDefault(p => baseline.ContainsKey(p.Name))?.Name ?? parameters.FirstOrDefault()?.Name ?? "tenant";
        foreach (var (label, name) in new[]
        {
            ("an unknown argument", "zz_unknown"),
            ("an unknown argument with a newline", "qq\nextra"),
            ("an unknown argument of 10,000 characters", new string('z', 10_000)),
            ("a case twin of an argument", char.ToUpperInvariant(twin[0]) + twin[1..]),
            ("an argument named __proto__", "__proto__"),
        })
        {
            var arguments = new Dictionary<string, JsonElement>(baseline, StringComparer.Ordinal) { [name] = JsonSerializer.SerializeToElement("x") };
            yield return new Probe(label, arguments, true, null);
        }
    }

    private static async Task<List<string>> RunAsync(ServerHarness server, List<string> elicited, string tool, Probe probe)
    {
        var failures = new List<string>();
        var budget = server.Services.GetRequiredService<IActionBudgetStore>();
        var tenant = server.Settings.Tenants[0];
        var remaining = (await budget.PeekAsync(tenant.Key, tenant.Policy.MaxActionsPerHour, 1, Ct)).Remaining;
        var asked = Count(elicited);

        var (result, failure) = await CallAsync(server, tool, probe.Arguments);
        var where = $"{tool} {probe.Label}";
        if (result is null)
        {
            failures.Add($"{where}: {failure}");
            return failures;
        }

        var text = Text(result);
        if (probe.MustRefuse)
        {
            if (result.IsError != true)
            {
                failures.Add($"{where}: accepted a value its schema refuses: {Clip(text)}");
            }

            if (Count(elicited) != asked)
            {
                failures.Add($"{where}: asked the user to confirm an invalid call");
            }

            if ((await budget.PeekAsync(tenant.Key, tenant.Policy.MaxActionsPerHour, 1, Ct)).Remaining != remaining)
            {
                failures.Add($"{where}: spent action budget on an invalid call");
            }
        }

        if (result.IsError == true)
        {
            var message = result.StructuredContent is { } s && s.TryGetProperty("error", out var e) && e.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : text;
            failures.AddRange(CheckError(where, Code(result), message));
        }

        return failures;
    }

    private static IEnumerable<string> CheckError(string where, string? code, string message)
    {
        if (code is null || !DocumentedCodes.Contains(code) || code == ErrorCodes.InternalError)
        {
            yield return $"{where}: error code '{code}' is not a documented answer to bad input: {Clip(message)}";
        }

        if (message.Length > 2_000 || message.Contains(HostileParameter.Huge[..200], StringComparison.Ordinal) || message.Contains(new string('z', 200), StringComparison.Ordinal) || message.Contains(new string('k', 200), StringComparison.Ordinal))
        {
            yield return $"{where}: the error echoes the value ({message.Length} characters): {Clip(message)}";
        }

        if (message.Any(c => (char.IsControl(c) && c is not ('\n' or '\t')) || char.IsSurrogate(c) && !HasPair(message, c)))
        {
            yield return $"{where}: the error carries a raw control character or lone surrogate: {Clip(JsonSerializer.Serialize(message))}";
        }

        if (message.Contains(HostileParameter.UnknownTenantMarker, StringComparison.Ordinal))
        {
            yield return $"{where}: the error echoes an unknown tenant key: {Clip(message)}";
        }

        if (ExceptionText.Match(message) is { Success: true } leak)
        {
            yield return $"{where}: the error carries exception text ('{leak.Value}'): {Clip(message)}";
        }
    }

    // A request whose URL carries an injected value as syntax: a dot segment, a query parameter or fragment of its own,
    // or an OData string the quote closed.
    private static string? Injected(RecordedRequest request)
    {
        var query = Uri.UnescapeDataString(request.Query);
        return request.Path.Contains("/../", StringComparison.Ordinal) || request.Path.EndsWith("/..", StringComparison.Ordinal) ? "as a dot segment of the path"
            : request.Query.Contains("&$top=1", StringComparison.Ordinal) || request.Query.Contains("?$filter=id", StringComparison.Ordinal) || request.Query.Contains('#', StringComparison.Ordinal) ? "unencoded in the query"
            : query.Contains("x' or 1 eq 1 or 'x", StringComparison.Ordinal) ? "with its quote unescaped in an OData filter"
            : null;
    }

    private static bool HasPair(string text, char c)
    {
        var i = text.IndexOf(c, StringComparison.Ordinal);
        return char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) : i > 0 && char.IsHighSurrogate(text[i - 1]);
    }

    private static async Task<(CallToolResult? Result, string? Failure)> CallAsync(ServerHarness server, string tool, Dictionary<string, JsonElement> arguments)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(CallBound);
        try
        {
            return (await server.Client.CallToolAsync(new CallToolRequestParams { Name = tool, Arguments = arguments }, bound.Token), null);
        }
        catch (McpProtocolException ex)
        {
            return (null, $"a JSON-RPC error {(int)ex.ErrorCode} instead of a tool result: {Clip(ex.Message)}");
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return (null, $"no answer within {CallBound.TotalSeconds} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, $"the call threw {ex.GetType().Name}: {Clip(ex.Message)}");
        }
    }

    private static string? Code(CallToolResult result) =>
        result.IsError == true && result.StructuredContent is { } s && s.TryGetProperty("error", out var e) && e.TryGetProperty("code", out var c) ? c.GetString() : null;

    private static int Count(List<string> elicited)
    {
        lock (elicited)
        {
            return elicited.Count;
        }
    }

    private static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "(no text)";

    private static string Show(Dictionary<string, JsonElement> arguments) => Clip(JsonSerializer.Serialize(arguments));

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record Probe(string Label, Dictionary<string, JsonElement> Arguments, bool MustRefuse, JsonElement? Value);
}
