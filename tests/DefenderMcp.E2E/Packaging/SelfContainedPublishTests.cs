using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;

namespace DefenderMcp.E2E.Packaging;

/// <summary>
/// The self-contained, composite ReadyToRun publish that docs/deployment.md offers for the fastest start: published with
/// the documented command, then run as its own executable (no dotnet host, no installed runtime asked for) with
/// <c>--demo</c> and called through the SDK client over stdio.
/// </summary>
public sealed class SelfContainedPublishTests : IDisposable
{
    private readonly WorkFolder _folder = new("defender-mcp-publish-");

    private string Work => _folder.Path;

    [Fact]
    public async Task The_documented_self_contained_composite_publish_runs_alone_and_serves_calls_over_stdio()
    {
        var ct = TestContext.Current.CancellationToken;
        var rid = RuntimeInformation.RuntimeIdentifier;
        var output = Path.Combine(Work, "app");

        // deployment.md's command; its own artifacts folder keeps the composite build out of the tree's obj folders, whose
        // ReadyToRun outputs a later framework-dependent publish would otherwise reuse.
        var publish = await ProcessRunner.RunAsync(
            "dotnet",
            ["publish", RepositoryFiles.ServerProject, "-c", "Release", "-r", rid, "--self-contained",
             "-p:PublishReadyToRun=true", "-p:PublishReadyToRunComposite=true",
             "--artifacts-path", Path.Combine(Work, "artifacts"), "-o", output],
            RepositoryFiles.Root, TimeSpan.FromMinutes(12), ct);
        Assert.True(publish.ExitCode == 0, publish.Output);

        // The runtime is in the folder and the framework is compiled with the app into one composite image.
        Assert.True(File.Exists(Path.Combine(output, OperatingSystem.IsWindows() ? "coreclr.dll" : OperatingSystem.IsMacOS() ? "libcoreclr.dylib" : "libcoreclr.so")));
        Assert.True(File.Exists(Path.Combine(output, "DefenderMcp.r2r.dll")), "no composite image DefenderMcp.r2r.dll");

        // Self-contained (no shared framework asked for), with the runtime settings the framework-dependent build ships.
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "DefenderMcp.runtimeconfig.json")))!["runtimeOptions"]!;
        Assert.Null(runtimeConfig["frameworks"]);
        Assert.Null(runtimeConfig["framework"]);
        var properties = runtimeConfig["configProperties"]!;
        Assert.Equal(0, properties["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]!.GetValue<int>());
        Assert.False(properties["System.Runtime.TieredPGO"]!.GetValue<bool>());

        // Run as its own executable, with DOTNET_ROOT pointing nowhere: nothing outside the folder is needed.
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = Path.Combine(output, OperatingSystem.IsWindows() ? "DefenderMcp.exe" : "DefenderMcp"),
            Arguments = ["--demo"],
            Name = "defender-mcp-self-contained",
            WorkingDirectory = Work,
            EnvironmentVariables = new Dictionary<string, string?>
            {
                ["DOTNET_ROOT"] = Path.Combine(Work, "no-runtime-here"),
                ["MCP_DEFENDER_XDR_TENANTS_FILE"] = null,
                ["AZURE_TENANT_ID"] = null,
            },
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-06-18" }, cancellationToken: ct);
        var tools = await client.ListToolsAsync(cancellationToken: ct);
        Assert.Contains(tools, t => t.Name == "query_advanced_hunting");

        // A call that needs a token, TLS to the bundled emulator and the result's shaping: the whole first-call path.
        var alerts = await client.CallToolAsync("list_alerts", new Dictionary<string, object?> { ["tenant"] = "contoso", ["limit"] = 3 }, cancellationToken: ct);
        Assert.NotEqual(true, alerts.IsError);
        Assert.Equal(3, alerts.StructuredContent!.Value.GetProperty("alerts").GetArrayLength());
    }

    public void Dispose() => _folder.Dispose();
}
