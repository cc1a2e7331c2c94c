using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Mcp;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// The output schemas the server ships precomputed (src/DefenderMcp/Mcp/OutputSchemas.json, embedded) are exactly
/// what reflection builds from the result types today, for every tool in the catalog and nothing else: a changed
/// result record, a new tool or a removed one fails here until the file is regenerated with
/// <c>DEFENDER_MCP_UPDATE_GOLDEN=1</c>. The golden tools/list then shows what a client sees.
/// </summary>
public sealed class PrecomputedOutputSchemaTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // The envelope rule of DefenderTool: a tool that fans out and answers per tenant may return the envelope.
    private static IEnumerable<(Type ResultType, bool FanOut)> CatalogSchemas() =>
        ToolCatalog.Entries.Select(e => (e.Definition.ResultType, e.Definition.FanOut && e.Definition.AnswersPerTenant)).Distinct();

    [Fact]
    public void The_precomputed_schemas_are_what_reflection_builds_for_every_catalog_tool()
    {
        var expected = new JsonObject();
        foreach (var (type, fanOut) in CatalogSchemas().OrderBy(s => PrecomputedOutputSchemas.Key(s.ResultType, s.FanOut), StringComparer.Ordinal))
        {
            expected[PrecomputedOutputSchemas.Key(type, fanOut)] = JsonNode.Parse(OutputSchemas.Build(type, fanOut).GetRawText());
        }

        var text = expected.ToJsonString(Indented) + "\n";
        var path = SourcePath();
        var updating = Support.GoldenFile.Updating;
        if (updating)
        {
            File.WriteAllText(path, text);
        }

        Assert.Equal(text, File.ReadAllText(path));
        if (!updating)
        {
            Assert.Equal(text, EmbeddedText());
        }
    }

    [Fact]
    public void Every_catalog_tool_is_served_its_precomputed_schema_equal_to_the_reflected_one()
    {
        foreach (var (type, fanOut) in CatalogSchemas())
        {
            Assert.True(PrecomputedOutputSchemas.TryGet(type, fanOut, out var precomputed), $"{PrecomputedOutputSchemas.Key(type, fanOut)} is not precomputed");
            Assert.True(JsonElement.DeepEquals(OutputSchemas.Build(type, fanOut), precomputed), $"{PrecomputedOutputSchemas.Key(type, fanOut)} differs");
            Assert.Equal(precomputed.GetRawText(), OutputSchemas.For(type, fanOut).GetRawText());
        }
    }

    [Fact]
    public void A_type_the_file_does_not_know_is_built_by_reflection()
    {
        Assert.False(PrecomputedOutputSchemas.TryGet(typeof(UnknownResult), fanOut: false, out _));

        var schema = OutputSchemas.For(typeof(UnknownResult), fanOut: false);

        Assert.Equal(OutputSchemas.Build(typeof(UnknownResult), fanOut: false).GetRawText(), schema.GetRawText());
        Assert.Contains("\"only\"", schema.GetRawText(), StringComparison.Ordinal);
    }

    private static string EmbeddedText()
    {
        using var stream = typeof(PrecomputedOutputSchemas).Assembly.GetManifestResourceStream(PrecomputedOutputSchemas.ResourceName);
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string SourcePath([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "..", "src", "DefenderMcp", "Mcp", "OutputSchemas.json"));

    private sealed record UnknownResult(string Only);
}
