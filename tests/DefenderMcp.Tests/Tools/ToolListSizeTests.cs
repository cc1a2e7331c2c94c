using System.Text.Json;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// A client pays for every byte of tools/list in context on every conversation, so the list is pinned per toolset:
/// the default on a read-only server (the read areas) stays under 40 KB, each toolset lists exactly its area's
/// tools, and every tool is still fully declared (its output schema exact, see OutputSchemaTests).
/// </summary>
public sealed class ToolListSizeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const int DefaultBudget = 40 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The bytes of the tools/list result as the SDK serializes it on the wire.
    private static async Task<(int Bytes, IReadOnlyList<Tool> Tools)> ListAsync(ServerHarness server)
    {
        var tools = (await server.Client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.ProtocolTool).ToList();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new ListToolsResult { Tools = tools }, McpJsonUtilities.DefaultOptions).Length;
        return (bytes, tools);
    }

    private static Func<ServerSettings, ServerSettings> Toolsets(params string[] names) =>
        s => s with { Toolsets = names.Length == 0 ? null : names.ToHashSet(StringComparer.Ordinal) };

    [Fact]
    public async Task The_default_on_a_read_only_server_lists_the_read_areas_under_40_KB_with_the_seed_tools()
    {
        await using var server = await ServerHarness.StartAsync(fixture, Toolsets());

        var (bytes, tools) = await ListAsync(server);
        var names = tools.Select(t => t.Name).ToHashSet();

        TestContext.Current.TestOutputHelper?.WriteLine($"default (read tier): {tools.Count} tools, {bytes} bytes");
        Assert.InRange(bytes, 1, DefaultBudget);
        // The seed server mcp-defender-xdr's three tools keep working for its users.
        Assert.Superset(new HashSet<string> { "query_advanced_hunting", "get_incident", "list_alerts" }, names);
        var expected = ToolCatalog.Toolsets.Where(t => t.ReadArea).SelectMany(t => t.Tools).Where(e => e.Definition.Tier == ActionTier.Read).Select(e => e.Definition.Name).ToHashSet();
        Assert.Equal(expected, names);
        Assert.DoesNotContain("list_machine_actions", names);
        Assert.All(tools, t => Assert.True(t.Annotations?.ReadOnlyHint, t.Name));
    }

    [Fact]
    public async Task The_default_once_a_tier_allows_writes_lists_every_area()
    {
        await using var server = await ServerHarness.StartAsync(fixture, Toolsets(), ActionTier.Respond);

        var (bytes, tools) = await ListAsync(server);

        TestContext.Current.TestOutputHelper?.WriteLine($"default (respond tier): {tools.Count} tools, {bytes} bytes");
        Assert.Equal(ToolCatalog.Entries.Where(e => e.Definition.Tier <= ActionTier.Respond).Select(e => e.Definition.Name).ToHashSet(), tools.Select(t => t.Name).ToHashSet());
    }

    public static TheoryData<string> ToolsetNames => new(ToolCatalog.ToolsetNames);

    [Theory]
    [MemberData(nameof(ToolsetNames))]
    public async Task Each_toolset_lists_exactly_its_areas_tools(string toolset)
    {
        await using var server = await ServerHarness.StartAsync(fixture, Toolsets(toolset), ActionTier.LiveResponse);

        var (bytes, tools) = await ListAsync(server);

        TestContext.Current.TestOutputHelper?.WriteLine($"{toolset}: {tools.Count} tools, {bytes} bytes");
        var area = ToolCatalog.Toolsets.Single(t => t.Name == toolset);
        Assert.Equal(area.Tools.Select(e => e.Definition.Name).ToHashSet(), tools.Select(t => t.Name).ToHashSet());
        // One area at the highest tier (machine_actions holds every device action) stays well under the full list.
        Assert.InRange(bytes, 1, 64 * 1024);
    }

    [Fact]
    public async Task Toolsets_partition_the_catalog_and_their_sizes_add_up_to_the_full_list()
    {
        await using var all = await ServerHarness.StartAsync(fixture, tier: ActionTier.LiveResponse);
        var (allBytes, allTools) = await ListAsync(all);
        var sum = 0;
        foreach (var toolset in ToolCatalog.ToolsetNames)
        {
            await using var one = await ServerHarness.StartAsync(fixture, Toolsets(toolset), ActionTier.LiveResponse);
            sum += (await ListAsync(one)).Tools.Sum(t => JsonSerializer.SerializeToUtf8Bytes(t, McpJsonUtilities.DefaultOptions).Length + 1);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"all: {allTools.Count} tools, {allBytes} bytes");
        Assert.Equal(ToolCatalog.Entries.Count, allTools.Count);
        Assert.Equal(ToolCatalog.Entries.Count, ToolCatalog.Entries.Select(e => e.Definition.Name).Distinct().Count());
        Assert.InRange(allBytes - sum, 0, 32);
    }

    // The intended change to tools-list.json: the envelope and the error carry no description (the same in every
    // tool; docs/tools.md explains them) and the tenant parameter's text is short.
    [Fact]
    public async Task Repeated_texts_are_short_in_every_tool()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.LiveResponse);

        var (_, tools) = await ListAsync(server);

        foreach (var tool in tools)
        {
            var defs = tool.OutputSchema!.Value.GetProperty("$defs");
            Assert.False(defs.GetProperty("error").TryGetProperty("description", out _), tool.Name);
            Assert.False(defs.TryGetProperty("fan_out", out var fanOut) && fanOut.TryGetProperty("description", out _), tool.Name);
            if (tool.InputSchema.GetProperty("properties").TryGetProperty("tenant", out var tenant))
            {
                Assert.InRange(tenant.GetProperty("description").GetString()!.Length, 1, 100);
            }
        }
    }

    [Theory]
    [InlineData("hunting", new[] { "hunting" })]
    [InlineData(" Hunting , incidents ", new[] { "hunting", "incidents" })]
    [InlineData("all", new[] { "hunting", "saved_hunts", "incidents", "alerts", "devices", "entities", "vulnerabilities", "machine_actions", "indicators", "detection_rules", "identity", "live_response", "status" })]
    public void Toolset_names_parse_trimmed_and_case_insensitive(string value, string[] expected)
    {
        var problems = new List<string>();

        var selected = ToolsetSelection.Parse(value, ToolCatalog.ToolsetNames, "--toolsets", problems);

        Assert.Empty(problems);
        Assert.Equal(expected.ToHashSet(), selected);
    }

    [Theory]
    [InlineData("hunting,huntin", "unknown toolset 'huntin'")]
    [InlineData(",", "name at least one toolset")]
    public void A_wrong_toolset_name_is_a_configuration_problem_naming_the_known_ones(string value, string expected)
    {
        var problems = new List<string>();

        ToolsetSelection.Parse(value, ToolCatalog.ToolsetNames, "DEFENDER_MCP_TOOLSETS", problems);

        var problem = Assert.Single(problems);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Contains("machine_actions", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_toolset_value_means_the_default()
    {
        var problems = new List<string>();

        Assert.Null(ToolsetSelection.Parse("  ", ToolCatalog.ToolsetNames, "--toolsets", problems));
        Assert.Empty(problems);
    }
}
