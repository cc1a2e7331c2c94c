using System.Text.Json;
using DefenderMcp.Areas.SavedHunts;
using DefenderMcp.Cli;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator;
using DefenderMcp.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Support;

/// <summary>A DefenderMcp server joined to an SDK client over in-memory pipes, pointed at an emulator.</summary>
public sealed class ServerHarness : IAsyncDisposable
{
    private readonly InMemoryServerConnection _connection;

    private ServerHarness(InMemoryServerConnection connection, SynchronizedWriter audit, ServerSettings settings)
    {
        _connection = connection;
        AuditWriter = audit;
        Settings = settings;
    }

    public McpClient Client => _connection.Client;

    public SynchronizedWriter AuditWriter { get; }

    public ServerSettings Settings { get; }

    /// <summary>The server's services, to read its own state (an action budget) beside what the client sees.</summary>
    public IServiceProvider Services => _connection.Services;

    public static Task<ServerHarness> StartAsync(
        EmulatorFixture fixture,
        Func<ServerSettings, ServerSettings>? configure = null,
        ActionTier tier = ActionTier.Read,
        ConfirmationMode confirmation = ConfirmationMode.Elicitation,
        McpClientOptions? clientOptions = null) =>
        StartAsync(fixture.Emulator, configure, tier, confirmation, clientOptions);

    /// <summary>
    /// Starts the server with <paramref name="environment"/> read as the server reads its variables (the real
    /// settings path, e.g. short timeouts), failing the test on any configuration problem.
    /// </summary>
    public static Task<ServerHarness> StartWithEnvironmentAsync(
        EmulatorFixture fixture,
        IReadOnlyDictionary<string, string> environment,
        ActionTier tier,
        ConfirmationMode confirmation = ConfirmationMode.Elicitation)
    {
        var problems = new List<string>();
        return StartAsync(
            fixture,
            s =>
            {
                var applied = DemoSettings.Apply(s, name => environment.GetValueOrDefault(name), problems);
                Assert.Empty(problems);
                return applied;
            },
            tier,
            confirmation);
    }

    public static async Task<ServerHarness> StartAsync(
        DefenderEmulator emulator,
        Func<ServerSettings, ServerSettings>? configure = null,
        ActionTier tier = ActionTier.Read,
        ConfirmationMode confirmation = ConfirmationMode.Elicitation,
        McpClientOptions? clientOptions = null)
    {
        // Every toolset, as before toolsets existed; a test of the default passes Toolsets = null in configure.
        var settings = DemoEnvironment.SettingsFor(emulator, tier, confirmation) with { Toolsets = Mcp.ToolCatalog.ToolsetNames.ToHashSet(StringComparer.Ordinal) };
        settings = configure?.Invoke(settings) ?? settings;
        var audit = new SynchronizedWriter();
        var connection = await InMemoryServerConnection.StartAsync(settings, audit, clientOptions, null, TestContext.Current.CancellationToken);
        // What a host does at start: stored hunt schedules resume.
        foreach (var resumer in connection.Services.GetServices<IHostedService>().OfType<HuntScheduleResumer>())
        {
            await resumer.StartAsync(TestContext.Current.CancellationToken);
        }

        return new ServerHarness(connection, audit, settings);
    }

    public async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?>? args = null) =>
        await Client.CallToolAsync(tool, args ?? [], cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Calls a tool that must succeed and returns its structured content.</summary>
    public async Task<JsonElement> CallOkAsync(string tool, Dictionary<string, object?>? args = null)
    {
        var result = await CallAsync(tool, args);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.True(result.IsError != true, $"{tool} failed: {text}");
        var structured = Assert.IsType<JsonElement>(result.StructuredContent);
        // The text block carries the same JSON as the structured content.
        Assert.True(
            System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(structured.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(text)),
            $"{tool}: the text block and the structured content differ");
        return structured;
    }

    /// <summary>Calls a tool that must fail and returns its error object.</summary>
    public async Task<(string Code, string Message)> CallErrorAsync(string tool, Dictionary<string, object?>? args = null)
    {
        var result = await CallAsync(tool, args);
        Assert.True(result.IsError, $"{tool} was expected to fail");
        var error = Assert.IsType<JsonElement>(result.StructuredContent).GetProperty("error");
        return (error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!);
    }

    public IReadOnlyList<JsonElement> AuditLines() =>
        [.. AuditWriter.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
