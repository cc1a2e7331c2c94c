using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ModelContextProtocol.Client;

namespace DefenderMcp.E2E.Packaging;

/// <summary>
/// The NuGet tool package as a user gets it: packed from the sources, installed with <c>dotnet tool install</c> from a
/// folder feed (and nothing else), then run with <c>--demo</c> and listed through the SDK client over stdio.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly WorkFolder _folder = new("defender-mcp-pack-");

    private string Work => _folder.Path;

    [Fact]
    public async Task The_packed_tool_installs_from_a_folder_and_serves_tools_over_stdio()
    {
        var ct = TestContext.Current.CancellationToken;
        var feed = Path.Combine(Work, "feed");
        var rid = RuntimeInformation.RuntimeIdentifier;

        // This platform's ReadyToRun package and the portable fallback (all platforms: 4 more publishes, minutes).
        // Its own artifacts folder keeps the pack from touching the tree the other tests were built into.
        var pack = await ProcessRunner.RunAsync(
            "dotnet",
            ["pack", RepositoryFiles.ServerProject, "-c", "Release", "-o", feed, "--artifacts-path", Path.Combine(Work, "artifacts"),
             $"-p:ToolPlatforms={rid}%3Bany", "-p:ContinuousIntegrationBuild=true"],
            RepositoryFiles.Root, TimeSpan.FromMinutes(12), ct);
        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.True(File.Exists(Path.Combine(feed, "DefenderMcp.0.1.0.nupkg")), pack.Output);

        CheckPointerPackage(Path.Combine(feed, "DefenderMcp.0.1.0.nupkg"), rid);

        // Only the folder feed: a package of the same name elsewhere can never be picked up.
        var config = Path.Combine(Work, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="feed" value="{feed}" /></packageSources></configuration>
            """);
        var toolPath = Path.Combine(Work, "tools");
        var install = await ProcessRunner.RunAsync(
            "dotnet",
            ["tool", "install", "--tool-path", toolPath, "--configfile", config, "--add-source", feed, "DefenderMcp", "--version", "0.1.0"],
            Work, TimeSpan.FromMinutes(5), ct);
        Assert.True(install.ExitCode == 0, install.Output);

        // The platform package was chosen, and its assembly was compiled ahead of time.
        var installed = Directory.GetFiles(Path.Combine(toolPath, ".store"), "DefenderMcp.dll", SearchOption.AllDirectories);
        var serverDll = Assert.Single(installed);
        Assert.Contains($"defendermcp.{rid}", serverDll, StringComparison.OrdinalIgnoreCase);
        Assert.True(IsReadyToRun(serverDll), $"{serverDll} has no ReadyToRun code");

        var command = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "defender-mcp.exe" : "defender-mcp");
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = command,
            Arguments = ["--demo"],
            Name = "defender-mcp-installed",
            WorkingDirectory = Work,
            EnvironmentVariables = new Dictionary<string, string?> { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = null, ["AZURE_TENANT_ID"] = null },
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-06-18" }, cancellationToken: ct);
        var tools = await client.ListToolsAsync(cancellationToken: ct);
        var names = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("query_advanced_hunting", names);
        Assert.Contains("list_incidents", names);
        Assert.Contains("get_server_status", names);

        // A call through the installed tool reaches the bundled emulator and the bundled saved hunts.
        var hunts = await client.CallToolAsync("list_saved_hunts", new Dictionary<string, object?>(), cancellationToken: ct);
        Assert.NotEqual(true, hunts.IsError);
        Assert.Contains("encoded-powershell", hunts.StructuredContent!.Value.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restoring_the_server_fetches_the_ReadyToRun_compiler_that_the_platform_packages_need()
    {
        // README's pack command on a machine whose NuGet cache never held the compiler (a fresh clone, a fresh HOME)
        // stopped with NETSDK1094: the restore runs before a platform is chosen, so it must ask for Crossgen2 itself.
        var ct = TestContext.Current.CancellationToken;
        var artifacts = Path.Combine(Work, "restore");
        var restore = await ProcessRunner.RunAsync(
            "dotnet",
            ["restore", RepositoryFiles.ServerProject, "--artifacts-path", artifacts, $"-p:ToolPlatforms={RuntimeInformation.RuntimeIdentifier}%3Bany"],
            RepositoryFiles.Root, TimeSpan.FromMinutes(5), ct);
        Assert.True(restore.ExitCode == 0, restore.Output);

        var assets = JsonNode.Parse(File.ReadAllText(Path.Combine(artifacts, "obj", "DefenderMcp", "project.assets.json")))!;
        var downloads = assets["project"]!["frameworks"]!.AsObject().Single().Value!["downloadDependencies"]!.AsArray()
            .Select(d => d!["name"]!.GetValue<string>()).ToList();
        Assert.Contains($"Microsoft.NETCore.App.Crossgen2.{RuntimeInformation.RuntimeIdentifier}", downloads, StringComparer.OrdinalIgnoreCase);
    }

    public void Dispose() => _folder.Dispose();

    private static void CheckPointerPackage(string path, string rid)
    {
        using var zip = ZipFile.OpenRead(path);
        string Read(string name)
        {
            var entry = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in {Path.GetFileName(path)}");
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        }

        var nuspec = XDocument.Parse(Read("DefenderMcp.nuspec"));
        var ns = nuspec.Root!.GetDefaultNamespace();
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        var types = metadata.Element(ns + "packageTypes")!.Elements(ns + "packageType").Select(e => e.Attribute("name")!.Value).ToList();
        Assert.Contains("DotnetTool", types);
        Assert.Contains("McpServer", types);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.False(string.IsNullOrEmpty(metadata.Element(ns + "repository")!.Attribute("url")?.Value));
        Assert.Contains("mcp", metadata.Element(ns + "tags")!.Value.Split(' '));
        Assert.Contains("dnx DefenderMcp", Read("README.md"), StringComparison.Ordinal);

        // The packed server.json is the checked one.
        var packed = JsonNode.Parse(Read(".mcp/server.json"))!;
        Assert.True(JsonNode.DeepEquals(ServerJsonTests.LoadServerJson(), packed));
        Assert.True(ServerJsonTests.Validate(packed).IsValid);

        // The pointer names this platform's package and the portable fallback.
        var settings = XDocument.Parse(Read("tools/any/any/DotnetToolSettings.xml"));
        var rids = settings.Descendants("RuntimeIdentifierPackage").Select(e => e.Attribute("RuntimeIdentifier")!.Value).ToList();
        Assert.Contains(rid, rids);
        Assert.Contains("any", rids);
        Assert.Equal("defender-mcp", settings.Descendants("Command").Single().Attribute("Name")!.Value);
    }

    private static bool IsReadyToRun(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }
}
