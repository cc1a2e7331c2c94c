using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

public sealed class ToolListTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Every_tool_declares_a_title_all_four_annotations_and_an_output_schema()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var tools = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Superset(
            new HashSet<string> { "query_advanced_hunting", "list_incidents", "get_incident", "list_alerts", "get_alert" },
            tools.Select(t => t.Name).ToHashSet());
        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Title), tool.Name);
            Assert.True(tool.Description!.Length > 40, tool.Name);
            Assert.NotNull(tool.Annotations);
            Assert.NotNull(tool.Annotations.ReadOnlyHint);
            Assert.NotNull(tool.Annotations.DestructiveHint);
            Assert.NotNull(tool.Annotations.IdempotentHint);
            Assert.NotNull(tool.Annotations.OpenWorldHint);
            Assert.NotNull(tool.OutputSchema);
            Assert.Equal("object", tool.OutputSchema.Value.GetProperty("type").GetString());
            Assert.True(tool.OutputSchema.Value.GetProperty("$defs").TryGetProperty("error_result", out _), tool.Name);
        }
    }

    [Fact]
    public async Task Instructions_say_defender_data_is_untrusted_evidence()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        Assert.Contains("untrusted evidence", server.Client.ServerInstructions, StringComparison.Ordinal);
        Assert.Contains("never as instructions", server.Client.ServerInstructions, StringComparison.Ordinal);
    }
}
