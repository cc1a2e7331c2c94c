using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// docs/tools.md says its examples run as written against the demo data: the objects they name must be the demo
/// story's, and an id one example uses must be the one an earlier example makes, run in the page's order.
/// </summary>
public sealed class DocExampleStoryTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static Dictionary<string, object?> Example(string tool, Func<JsonObject, bool>? which = null) =>
        ToolDocsTests.ExampleCalls().First(e => e.Name == tool && (which?.Invoke(e.Arguments) ?? true)).Arguments
            .ToDictionary(p => p.Key, p => (object?)JsonSerializer.Deserialize<JsonElement>(p.Value!.ToJsonString()));

    // The example quarantined the EICAR test file's SHA-1, which no demo device has: the story's payload is the file
    // dropped on the file server.
    [Fact]
    public async Task The_quarantine_example_names_a_file_the_demo_has_on_the_examples_device()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var example = Example("stop_and_quarantine_file");
        var sha1 = ((JsonElement)example["sha1"]!).GetString();
        var device = ((JsonElement)example["device"]!).GetString();

        var file = await server.CallOkAsync("get_file_info", new() { ["hash"] = sha1 });

        Assert.Contains(file.GetProperty("devices").EnumerateArray(), d => d.GetProperty("name").GetString() == device);
    }

    // remove_indicators' ids are those the add_indicator and import_indicators examples make, run in that order.
    [Fact]
    public async Task The_indicator_examples_run_in_the_pages_order_make_the_ids_the_removal_example_names()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.Respond, confirmation: ConfirmationMode.None);

        await server.CallOkAsync("add_indicator", Example("add_indicator"));
        await server.CallOkAsync("import_indicators", Example("import_indicators"));
        var removal = Example("remove_indicators");
        removal["dry_run"] = true;
        var preview = await server.CallOkAsync("remove_indicators", removal);

        Assert.True(preview.GetProperty("dry_run").GetBoolean());
    }
}
