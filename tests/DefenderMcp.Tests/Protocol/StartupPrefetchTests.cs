using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using DefenderMcp.Emulator;
using DefenderMcp.Hosting;
using DefenderMcp.Mcp;
using DefenderMcp.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using ModelContextProtocol;

namespace DefenderMcp.Tests.Protocol;

/// <summary>
/// The start's prefetch of the SDK's serializer contracts: it warms the options the SDK's handlers use (not a copy),
/// every contract it names builds (its thread swallows failures, so only a test sees one), the read tools' input schemas
/// it builds are the ones the tools advertise, and only a serving command line starts it.
/// </summary>
public sealed class StartupPrefetchTests
{
    [Fact]
    public void It_warms_the_options_of_the_sdks_own_context_not_the_copy_in_its_default_options()
    {
        // If the SDK stops putting its context first in DefaultOptions, the prefetch falls back to the copy, whose
        // contracts the server never reads: still the same compiled code, but this says the shortcut is gone.
        var context = Assert.Single(McpJsonUtilities.DefaultOptions.TypeInfoResolverChain.OfType<JsonSerializerContext>());

        Assert.Same(context.Options, StartupPrefetch.SdkContextOptions);
        Assert.NotSame(McpJsonUtilities.DefaultOptions, StartupPrefetch.SdkContextOptions);
    }

    [Fact]
    public void Every_contract_it_names_builds_from_the_sdks_context()
    {
        StartupPrefetch.Warm();

        Assert.All(StartupPrefetch.ProtocolTypes, type => Assert.Equal(type, StartupPrefetch.SdkContextOptions.GetTypeInfo(type).Type));
        Assert.Equal(StartupPrefetch.ProtocolTypes.Count, StartupPrefetch.ProtocolTypes.Distinct().Count());
    }

    [Fact]
    public void It_prebuilds_every_read_tools_input_schema_which_is_the_one_the_tool_would_build_and_only_for_that_definition()
    {
        StartupPrefetch.Warm();

        var definitions = ToolCatalog.Toolsets.Where(t => t.ReadArea).SelectMany(t => t.Tools).Select(e => e.Definition).ToList();
        Assert.NotEmpty(definitions);
        Assert.All(definitions, definition =>
        {
            Assert.True(PrebuiltInputSchemas.TryGet(definition, out var prebuilt), definition.Name);
            Assert.Equal(PrebuiltInputSchemas.Build(definition).GetRawText(), prebuilt.GetRawText());
            Assert.Equal(prebuilt.GetRawText(), PrebuiltInputSchemas.For(definition).GetRawText());
        });

        // A copy (which could carry other parameters) is never served the original's schema.
        Assert.False(PrebuiltInputSchemas.TryGet(definitions[0] with { Parameters = [] }, out _));
    }

    [Fact]
    public async Task A_server_started_after_it_takes_the_prebuilt_input_schemas_as_they_are()
    {
        var ct = TestContext.Current.CancellationToken;
        StartupPrefetch.Warm();
        await using var demo = DemoEnvironment.Start(new EmulatorOptions());
        await using var connection = await InMemoryServerConnection.StartAsync(demo.Settings, new SynchronizedWriter(), null, null, ct);

        var prefetched = ToolCatalog.Toolsets.Where(t => t.ReadArea).SelectMany(t => t.Tools).Select(e => e.Definition).ToHashSet(ReferenceEqualityComparer.Instance);
        var tools = connection.Services.GetServices<McpServerTool>().OfType<DefenderTool>().Where(t => prefetched.Contains(t.Definition)).ToList();
        Assert.NotEmpty(tools);
        Assert.All(tools, tool =>
        {
            Assert.True(PrebuiltInputSchemas.TryGet(tool.Definition, out var prebuilt), tool.Definition.Name);
            // The very bytes the prefetch parsed, not an equal copy built again.
            Assert.True(
                Unsafe.AreSame(ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(prebuilt)), ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(tool.ProtocolTool.InputSchema))),
                tool.Definition.Name);
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(true, "serve")]
    [InlineData(true, "serve", "--transport", "http")]
    [InlineData(true, "--demo")]
    [InlineData(true, "--read-only", "--toolsets", "hunting")]
    [InlineData(false, "--help")]
    [InlineData(false, "--version")]
    [InlineData(false, "tools")]
    [InlineData(false, "call", "list_alerts")]
    [InlineData(false, "emulator")]
    [InlineData(false, "doctor")]
    public void Only_a_command_line_that_serves_starts_it(bool serves, params string[] args) =>
        Assert.Equal(serves, StartupPrefetch.Serves(args));
}
