using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// The intended golden change of tools-list.json: output schemas spelled portably (no type arrays, no schema that
/// says nothing), which the inspector's --strict lint requires and which single-type dialects can map.
/// </summary>
public sealed class SchemaPortabilityTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public void A_nullable_type_array_becomes_single_type_branches_keeping_the_description()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"a":{"description":"d","type":["string","null"],"enum":["x",null]}}}""")!;

        var portable = SchemaPortability.Apply(schema);

        Assert.Equal(
            """{"type":"object","properties":{"a":{"description":"d","anyOf":[{"type":"string","enum":["x"]},{"type":"null"}]}}}""",
            portable.ToJsonString());
        Assert.Contains("[\"string\",\"null\"]", schema.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Free_form_values_say_what_they_are()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"rows":{"type":"array","items":{}},"body":true,"extra":{"type":"object","additionalProperties":true}}}""")!;

        var portable = SchemaPortability.Apply(schema).ToJsonString();

        Assert.Contains("\"rows\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"additionalProperties\":true}}", portable, StringComparison.Ordinal);
        Assert.Contains("\"body\":{\"anyOf\":[{\"type\":\"object\",\"additionalProperties\":true},{\"type\":\"null\"}]}", portable, StringComparison.Ordinal);
        Assert.Contains("\"extra\":{\"type\":\"object\",\"additionalProperties\":true}", portable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_advertised_output_schema_has_a_type_array_or_an_empty_schema()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.LiveResponse);
        var tools = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.All(tools, tool =>
        {
            var problems = new List<string>();
            Walk(JsonNode.Parse(tool.ProtocolTool.OutputSchema!.Value.GetRawText())!, "$", problems);
            Assert.True(problems.Count == 0, $"{tool.Name}: {string.Join(", ", problems)}");
        });
    }

    private static void Walk(JsonNode node, string path, List<string> problems)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonArray)
                {
                    problems.Add(path + ".type");
                }

                foreach (var (key, child) in obj)
                {
                    if (child is JsonObject { Count: 0 } && key is not ("additionalProperties" or "properties"))
                    {
                        problems.Add($"{path}.{key} is empty");
                    }

                    var schemaPosition = key == "items" || path.EndsWith(".properties", StringComparison.Ordinal) || path.EndsWith(".$defs", StringComparison.Ordinal);
                    if (schemaPosition && child is JsonValue v && v.GetValueKind() == JsonValueKind.True)
                    {
                        problems.Add($"{path}.{key} is true");
                    }

                    if (child is not null)
                    {
                        Walk(child, $"{path}.{key}", problems);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        Walk(item, $"{path}[{i}]", problems);
                    }
                }

                break;
        }
    }
}
