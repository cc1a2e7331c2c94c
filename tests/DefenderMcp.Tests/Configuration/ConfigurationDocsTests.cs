using System.Reflection;
using System.Text.RegularExpressions;
using DefenderMcp.Configuration;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Configuration;

/// <summary>
/// docs/configuration.md is where a user learns what each environment variable does: every variable the server or the
/// client reads has its own row in one of its tables (or, for the tenants file, its own heading), and the page names no
/// variable that nothing reads. A variable added in code fails here until it is documented.
/// </summary>
public sealed class ConfigurationDocsTests
{
    // The project's own variables, as they appear quoted in code; OTEL_* are the standard OpenTelemetry ones.
    private static readonly Regex QuotedVariable = new("\"((?:DEFENDER|AZURE|GRAPH|MCP|OTEL)_[A-Z0-9_]*[A-Z0-9])\"", RegexOptions.CultureInvariant);

    private static readonly Regex DocumentedVariable = new("`((?:DEFENDER|AZURE|GRAPH|MCP)_[A-Z0-9_]*[A-Z0-9])`", RegexOptions.CultureInvariant);

    private static readonly Lazy<string> Page = new(() => File.ReadAllText(Path.Combine(Root(), "docs", "configuration.md")));

    [Fact]
    public void Every_variable_the_server_reads_has_a_row_or_a_heading_in_configuration_md()
    {
        var read = ReadVariables();
        Assert.Contains(EnvironmentVariables.TenantsFile, read);
        Assert.Contains("DEFENDER_MCP_HTTP_URLS", read);

        var lines = Page.Value.Split('\n');
        // The first cell of a table row ("| `A` / `B` | meaning |") or a heading names the variable it explains.
        var explained = lines.Where(l => l.StartsWith("| `", StringComparison.Ordinal)).Select(l => l.Split('|')[1])
            .Concat(lines.Where(l => l.StartsWith('#')))
            .SelectMany(cell => Regex.Matches(cell, "`([A-Z][A-Z0-9_]+)`").Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        // OpenTelemetry's standard variables are explained together in the telemetry section's text.
        var missing = read.Where(v => v.StartsWith("OTEL_", StringComparison.Ordinal) ? !Page.Value.Contains($"`{v}`", StringComparison.Ordinal) : !explained.Contains(v))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0, $"read by the server but not explained in docs/configuration.md: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_page_names_no_variable_that_nothing_reads()
    {
        var read = ReadVariables();
        var unknown = DocumentedVariable.Matches(Page.Value).Select(m => m.Groups[1].Value)
            .Where(v => !read.Contains(v))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(unknown.Count == 0, $"docs/configuration.md names variables that nothing reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_readme_client_configurations_are_json_and_set_only_variables_the_server_reads()
    {
        var read = ReadVariables();
        var readme = File.ReadAllText(Path.Combine(Root(), "README.md"));
        var servers = 0;
        foreach (Match block in Regex.Matches(readme, "```json\n(?<body>.*?)```", RegexOptions.Singleline))
        {
            var config = System.Text.Json.Nodes.JsonNode.Parse(block.Groups["body"].Value)!.AsObject();
            var entries = (config["mcpServers"] ?? config["servers"])!.AsObject();
            foreach (var (name, server) in entries)
            {
                servers++;
                Assert.False(string.IsNullOrEmpty(server!["command"]?.GetValue<string>()), name);
                foreach (var (variable, _) in server["env"]?.AsObject() ?? [])
                {
                    Assert.True(read.Contains(variable), $"README.md's client entry '{name}' sets {variable}, which the server does not read");
                }
            }
        }

        // Claude Desktop, VS Code, Cursor, and the package examples.
        Assert.True(servers >= 6, $"only {servers} client entries found in README.md");
    }

    // As ServerJsonTests (E2E) finds them: the EnvironmentVariables constants, and every quoted name in the server's
    // and the client's code.
    private static HashSet<string> ReadVariables()
    {
        var read = typeof(EnvironmentVariables).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var folder in new[] { "DefenderMcp", "DefenderMcp.Client" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root(), "src", folder), "*.cs", SearchOption.AllDirectories))
            {
                read.UnionWith(QuotedVariable.Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value));
            }
        }

        return read;
    }

    private static string Root() => RepositoryRoot.Folder;
}
