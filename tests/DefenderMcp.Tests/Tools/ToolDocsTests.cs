using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using Json.Schema;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// docs/tools.md is the user's copy of the catalog: every tool of every toolset and tier is there with its parameters
/// and an example call that the tool's own input schema accepts, the toolsets table matches the catalog, and the page
/// names no tool that does not exist. A tool added, renamed or given a new parameter fails here until the page says so.
/// </summary>
public sealed class ToolDocsTests
{
    // Written once under "Common parameters" for every write rather than in each write's row.
    private static readonly string[] WriteCommonParameters = ["tenant", "dry_run", "confirmation_token"];

    // Backticked snake_case names on the page that start like a tool (get_, run_, live_ ...) but name something else.
    private static readonly string[] NotTools = ["query_failed", "run_at", "run_in_progress", "release_pending"];

    // Verbs a tool the server does not have would likely start with (an upload, a search ...), besides the real tools' verbs.
    private static readonly string[] OtherToolVerbs = ["upload", "download", "submit", "search", "set", "start", "resolve", "assign", "block", "unblock", "contain", "quarantine", "restore", "unisolate"];

    private static readonly Lazy<string> Page = new(() => File.ReadAllText(Path.Combine(Root(), "docs", "tools.md")));

    private static readonly Regex ExampleCall = new("""\{"name":\s*"(?<name>[a-z0-9_]+)",\s*"arguments":""", RegexOptions.CultureInvariant);

    public static TheoryData<string> ToolNames() => [.. ToolCatalog.Entries.Select(e => e.Definition.Name)];

    [Fact]
    public void The_catalog_spans_every_toolset_and_tier()
    {
        // The theories below run over ToolCatalog.Entries: make sure that is every toolset's tools, reads and writes.
        Assert.Equal(ToolCatalog.Toolsets.Sum(t => t.Tools.Count), ToolCatalog.Entries.Count);
        foreach (var tier in Enum.GetValues<ActionTier>())
        {
            Assert.Contains(ToolCatalog.Entries, e => e.Definition.Tier == tier);
        }
    }

    [Theory]
    [MemberData(nameof(ToolNames))]
    public void Every_tool_is_documented_with_each_of_its_parameters(string tool)
    {
        var definition = Definition(tool);
        var block = DocumentationOf(tool);
        Assert.False(string.IsNullOrEmpty(block), $"docs/tools.md has no heading `{tool}(...)` nor table row | `{tool}` | for this tool");

        var common = definition.ReadOnly ? [] : WriteCommonParameters;
        var undocumented = Properties(definition)
            .Where(p => !common.Contains(p) && !Regex.IsMatch(block, $@"\b{Regex.Escape(p)}\b", RegexOptions.CultureInvariant))
            .ToList();
        Assert.True(undocumented.Count == 0, $"{tool}: parameters missing from its section of docs/tools.md: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void The_common_write_parameters_are_documented_once_for_every_write()
    {
        var line = Page.Value.Split('\n').SingleOrDefault(l => l.StartsWith("Common parameters:", StringComparison.Ordinal));
        Assert.NotNull(line);
        foreach (var parameter in WriteCommonParameters)
        {
            Assert.Contains($"`{parameter}`", line, StringComparison.Ordinal);
        }

        // Each write that a person confirms really takes them, so the sentence holds.
        foreach (var definition in ToolCatalog.Entries.Select(e => e.Definition).Where(d => Properties(d).Contains("dry_run")))
        {
            Assert.Superset(WriteCommonParameters.ToHashSet(), Properties(definition).ToHashSet());
        }
    }

    [Fact]
    public void A_heading_signature_lists_exactly_the_tools_parameters_and_marks_the_optional_ones()
    {
        var headings = Page.Value.Split('\n').Where(l => l.StartsWith('#'));
        var checkedAny = false;
        foreach (Match match in headings.SelectMany(h => Regex.Matches(h, @"`(?<name>[a-z0-9_]+)\((?<params>[^)]*)\)`")))
        {
            var definition = Definition(match.Groups["name"].Value);
            var documented = match.Groups["params"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .ToDictionary(p => p.TrimEnd('?'), p => p.EndsWith('?'), StringComparer.Ordinal);
            var required = Required(definition);
            Assert.Equal(Properties(definition).Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, optional) in documented)
            {
                Assert.True(optional != required.Contains(name), $"{definition.Name}: `{name}` is {(optional ? "marked optional but required" : "required in the schema but not marked `?`")} in its heading");
            }

            checkedAny = true;
        }

        Assert.True(checkedAny);
    }

    [Theory]
    [MemberData(nameof(ToolNames))]
    public void Every_tool_has_an_example_call_that_its_input_schema_accepts(string tool)
    {
        var examples = ExampleCalls().Where(e => e.Name == tool).ToList();
        Assert.True(examples.Count > 0, $"docs/tools.md has no example {{\"name\": \"{tool}\", \"arguments\": {{...}}}} in a json block");
        var schema = JsonSchema.Build(JsonSerializer.SerializeToElement(Definition(tool).InputSchema), baseUri: new Uri($"https://defender-mcp.test/docs/{tool}/{Guid.NewGuid():N}"));
        foreach (var (_, arguments) in examples)
        {
            var result = schema.Evaluate(JsonSerializer.SerializeToElement(arguments), new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{tool}: the example {arguments.ToJsonString()} does not match the input schema: " +
                string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Value}"))));
        }
    }

    [Fact]
    public void The_toolsets_table_lists_exactly_each_toolsets_tools()
    {
        var section = Page.Value[Page.Value.IndexOf("\n## Toolsets\n", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        foreach (var toolset in ToolCatalog.Toolsets)
        {
            var row = section.Split('\n').SingleOrDefault(l => l.StartsWith($"| `{toolset.Name}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"the toolsets table has no row for `{toolset.Name}`");
            var listed = Regex.Matches(row, "`([a-z0-9_]+)`").Select(m => m.Groups[1].Value).Skip(1).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(toolset.Tools.Select(t => t.Definition.Name).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void The_page_names_no_tool_that_does_not_exist()
    {
        var tools = ToolCatalog.Entries.Select(e => e.Definition.Name).ToHashSet(StringComparer.Ordinal);
        var verbs = tools.Select(t => t.Split('_')[0]).Concat(OtherToolVerbs).ToHashSet(StringComparer.Ordinal);
        var otherNames = ToolCatalog.ToolsetNames.Concat(NotTools).ToHashSet(StringComparer.Ordinal);

        var phantoms = Regex.Matches(Page.Value, "`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)")
            .Select(m => m.Groups[1].Value)
            .Where(name => verbs.Contains(name.Split('_')[0]) && !tools.Contains(name) && !otherNames.Contains(name))
            .Concat(ExampleCalls().Select(e => e.Name).Where(name => !tools.Contains(name)))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(phantoms.Count == 0, $"docs/tools.md names tools the server does not have: {string.Join(", ", phantoms)}");
    }

    // The heading `name(...)` and the text up to the next heading, plus every table row that starts with the name.
    private static string DocumentationOf(string tool)
    {
        var lines = Page.Value.Split('\n');
        var parts = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#') && lines[i].Contains($"`{tool}(", StringComparison.Ordinal))
            {
                var end = i + 1;
                while (end < lines.Length && !lines[end].StartsWith('#'))
                {
                    end++;
                }

                parts.Add(string.Join('\n', lines[i..end]));
            }
            else if (lines[i].StartsWith($"| `{tool}`", StringComparison.Ordinal) || lines[i].StartsWith($"| `{tool}(", StringComparison.Ordinal))
            {
                parts.Add(lines[i]);
            }
        }

        return string.Join('\n', parts);
    }

    // Every {"name": ..., "arguments": {...}} call in the page's json blocks (one JSON value each, on one line or more).
    internal static IEnumerable<(string Name, JsonObject Arguments)> ExampleCalls()
    {
        foreach (Match block in Regex.Matches(Page.Value, "```json\n(?<body>.*?)```", RegexOptions.Singleline))
        {
            var body = block.Groups["body"].Value;
            foreach (Match start in ExampleCall.Matches(body))
            {
                var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(body[start.Index..]));
                var call = JsonNode.Parse(ref reader)!.AsObject();
                yield return (call["name"]!.GetValue<string>(), call["arguments"]!.AsObject());
            }
        }
    }

    private static ToolDefinition Definition(string tool) =>
        ToolCatalog.Entries.Select(e => e.Definition).SingleOrDefault(d => d.Name == tool)
        ?? throw new Xunit.Sdk.XunitException($"docs/tools.md documents `{tool}(...)`, which is not a tool");

    private static IEnumerable<string> Properties(ToolDefinition definition) =>
        definition.InputSchema["properties"]?.AsObject().Select(p => p.Key) ?? [];

    private static HashSet<string> Required(ToolDefinition definition) =>
        definition.InputSchema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];

    private static string Root() => RepositoryRoot.Folder;
}
