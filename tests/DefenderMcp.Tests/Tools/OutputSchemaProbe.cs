using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Tests.Support;
using Json.Schema;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// Drives one tool through the SDK client against the emulator and checks every structured result against the
/// outputSchema the tool advertises in tools/list. Two servers: one whose tenants need no confirmation (reads, dry
/// runs, executed writes) and one with token confirmation (a write's first call returns a preview and a token).
/// </summary>
public sealed class OutputSchemaProbe : IAsyncDisposable
{
    /// <summary>The kinds of output a tool can return; each tool's cases must cover the kinds its schema offers.</summary>
    public const string Success = "success", FanOut = "fan_out", Error = "error", DryRun = "dry_run", TokenPreview = "token_preview", Executed = "executed";

    // Files live_response_get_file collects during the schema cases (a private temp folder for the test run).
    private static readonly Lazy<string> Downloads = new(() => Directory.CreateTempSubdirectory("defender-mcp-schema-downloads-").FullName);

    // The library upload folder, holding one small script (upload_library_file's cases replace it each time).
    private static readonly Lazy<string> Uploads = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("defender-mcp-schema-uploads-").FullName;
        File.WriteAllText(Path.Combine(folder, UploadName), "Get-Process\n");
        return folder;
    });

    /// <summary>The script in the upload folder.</summary>
    public const string UploadName = "schema-upload.ps1";

    // The fixture's pending time (3 s) and in-progress time (0.3 s), with room for the call that makes the action.
    private static readonly TimeSpan DeviceRest = TimeSpan.FromSeconds(4);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTime> LastHandedOut = new(StringComparer.Ordinal);
    private static int _nextDevice;
    private readonly ServerHarness _server;
    private readonly ServerHarness _tokenServer;
    private readonly List<string> _failures = [];
    private IReadOnlyList<string>? _devices;

    private OutputSchemaProbe(string tool, ServerHarness server, ServerHarness tokenServer, Tool definition, EmulatorControlClient control)
    {
        Control = control;
        ToolName = tool;
        _server = server;
        _tokenServer = tokenServer;
        Definition = definition;
        Schema = JsonSchema.Build(definition.OutputSchema!.Value, baseUri: new Uri($"https://defender-mcp.test/{tool}/{Guid.NewGuid():N}"));
    }

    public string ToolName { get; }

    /// <summary>The emulator's control plane (faults).</summary>
    public EmulatorControlClient Control { get; }

    /// <summary>The tool as tools/list advertises it.</summary>
    public Tool Definition { get; }

    /// <summary>The advertised output schema, built by the validator.</summary>
    public JsonSchema Schema { get; }

    /// <summary>The kinds of output seen so far.</summary>
    public HashSet<string> Covered { get; } = [];

    /// <summary>The server with no confirmation, for setting up state (its own calls are not checked).</summary>
    public ServerHarness Server => _server;

    public static async Task<OutputSchemaProbe> StartAsync(CancellableActionsEmulatorFixture fixture, string tool)
    {
        static ServerSettings Configure(ServerSettings s) => s with
        {
            ActionPollInterval = TimeSpan.FromMilliseconds(100),
            HuntScheduleMinimum = TimeSpan.FromMilliseconds(50),
            Tenants = [.. s.Tenants.Select(t => t with { Policy = t.Policy with { AllowOffboard = true, MaxActionsPerHour = 1000 } })],
            LiveResponse = s.LiveResponse with { DownloadFolder = Downloads.Value, UploadFolder = Uploads.Value },
        };

        var server = await ServerHarness.StartAsync(fixture.Emulator, Configure, ActionTier.LiveResponse, ConfirmationMode.None);
        var tokenServer = await ServerHarness.StartAsync(fixture.Emulator, Configure, ActionTier.LiveResponse, ConfirmationMode.Token);
        var tools = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var definition = tools.Single(t => t.Name == tool).ProtocolTool;
        return new OutputSchemaProbe(tool, server, tokenServer, definition, fixture.Control);
    }

    /// <summary>True when the advertised schema offers the fan-out envelope.</summary>
    public bool AdvertisesFanOut => Definition.OutputSchema!.Value.GetProperty("$defs").TryGetProperty("fan_out", out _);

    /// <summary>True for a write: it takes dry_run.</summary>
    public bool IsWrite => Definition.InputSchema.GetProperty("properties").TryGetProperty("dry_run", out _);

    public Task<JsonElement> OkAsync(Dictionary<string, object?>? args = null) => CheckAsync(Success, _server, args ?? [], expectError: false);

    public async Task<JsonElement> FanOutAsync(Dictionary<string, object?> args)
    {
        args["tenant"] = "*";
        var result = await CheckAsync(FanOut, _server, args, expectError: false);
        Expect(result.TryGetProperty("fan_out", out var flag) && flag.ValueKind == JsonValueKind.True, "a fan-out call did not answer with the envelope");
        return result;
    }

    public Task<JsonElement> ErrorAsync(Dictionary<string, object?> args) => CheckAsync(Error, _server, args, expectError: true);

    /// <summary>A write in all its forms: dry run, token preview, executed; <paramref name="args"/> is asked anew for each.</summary>
    public async Task WriteAsync(Func<Task<Dictionary<string, object?>>> args)
    {
        var dry = await args();
        dry["dry_run"] = true;
        var preview = await CheckAsync(DryRun, _server, dry, expectError: false);
        Expect(preview.TryGetProperty("dry_run", out var flag) && flag.ValueKind == JsonValueKind.True, "a dry run did not say dry_run: true");

        var token = await CheckAsync(TokenPreview, _tokenServer, await args(), expectError: false);
        Expect(token.TryGetProperty("confirmation_token", out var issued) && issued.ValueKind == JsonValueKind.String, "a token preview carried no confirmation_token");

        await CheckAsync(Executed, _server, await args(), expectError: false);
    }

    /// <summary>
    /// A device no case of this class has been handed in the last <see cref="DeviceRest"/> (a machine action stays
    /// pending on its device for the fixture's 3 s, and Defender refuses a second one of its type there), waiting for
    /// one to come free when every device was used that recently; in turn otherwise.
    /// </summary>
    public async Task<string> NextDeviceAsync()
    {
        _devices ??= await WorkstationsAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            for (var tried = 0; tried < _devices.Count; tried++)
            {
                var device = _devices[Interlocked.Increment(ref _nextDevice) % _devices.Count];
                var now = DateTime.UtcNow;
                var last = LastHandedOut.GetOrAdd(device, DateTime.MinValue);
                if (now - last >= DeviceRest && LastHandedOut.TryUpdate(device, now, last))
                {
                    return device;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "no workstation came free for a machine action within 30 s");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The ids of <paramref name="property"/>[*].id in a list tool's answer.</summary>
    public async Task<HashSet<string>> IdsAsync(string tool, string property, Dictionary<string, object?>? args = null)
    {
        var list = await _server.CallOkAsync(tool, args ?? new() { ["limit"] = 100 });
        return [.. list.GetProperty(property).EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }

    /// <summary>Runs <paramref name="act"/> (a write through the server with no confirmation) and returns the id the list gained.</summary>
    public async Task<string> NewIdAsync(string listTool, string property, Func<Task> act, Dictionary<string, object?>? listArgs = null)
    {
        var before = await IdsAsync(listTool, property, listArgs);
        await act();
        var after = await IdsAsync(listTool, property, listArgs);
        after.ExceptWith(before);
        return Assert.Single(after);
    }

    /// <summary>Fails with every schema violation and unmet expectation of this tool at once.</summary>
    public void AssertValid() => Assert.True(_failures.Count == 0, $"{ToolName}:\n" + string.Join("\n", _failures));

    public async ValueTask DisposeAsync()
    {
        await _tokenServer.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<JsonElement> CheckAsync(string kind, ServerHarness server, Dictionary<string, object?> args, bool expectError)
    {
        var result = await server.CallAsync(ToolName, args);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        if ((result.IsError == true) != expectError)
        {
            _failures.Add($"[{kind}] expected {(expectError ? "an error" : "success")}, got: {Truncate(text)}");
        }

        if (result.StructuredContent is not { } structured)
        {
            _failures.Add($"[{kind}] no structured content");
            return default;
        }

        Expect(JsonNode.DeepEquals(JsonNode.Parse(structured.GetRawText()), JsonNode.Parse(text)), $"[{kind}] the text block differs from the structured content");
        var violations = Violations(Schema, structured);
        if (violations.Count > 0)
        {
            _failures.Add($"[{kind}] does not match the advertised outputSchema:\n  {string.Join("\n  ", violations)}\n  output: {Truncate(structured.GetRawText())}");
        }

        Covered.Add(kind);
        return structured;
    }

    /// <summary>Every error the validator reports for <paramref name="instance"/>, with where it is; empty when valid.</summary>
    public static IReadOnlyList<string> Violations(JsonSchema schema, JsonElement instance)
    {
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var errors = (results.Details ?? []).Prepend(results)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
            .Distinct()
            .ToList();
        return errors.Count > 0 ? errors : ["invalid (no detail)"];
    }

    private void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            _failures.Add(failure);
        }
    }

    private async Task<IReadOnlyList<string>> WorkstationsAsync()
    {
        var list = await _server.CallOkAsync("list_devices", new() { ["limit"] = 100 });
        var devices = list.GetProperty("devices").EnumerateArray()
            .Where(d => !d.GetProperty("tags").EnumerateArray().Any(t => t.GetString() is "DomainController" or "Tier0"))
            .Select(d => d.GetProperty("name").GetString()!)
            .Where(n => !n.Contains("-srv-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(devices.Count >= 10, $"only {devices.Count} workstations to act on");
        return devices;
    }

    private static string Truncate(string text) => text.Length <= 1500 ? text : text[..1500] + "…";
}
