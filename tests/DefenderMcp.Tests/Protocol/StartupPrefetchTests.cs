using System.Text.Json;
using System.Text.Json.Serialization;
using DefenderMcp.Hosting;
using ModelContextProtocol;

namespace DefenderMcp.Tests.Protocol;

/// <summary>
/// The start's prefetch of the SDK's serializer contracts: it warms the options the SDK's handlers use (not a copy),
/// every contract it names builds (its thread swallows failures, so only a test sees one), and only a serving command
/// line starts it.
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
