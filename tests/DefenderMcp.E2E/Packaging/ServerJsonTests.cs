using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DefenderMcp.Configuration;
using Json.Schema;

namespace DefenderMcp.E2E.Packaging;

/// <summary>
/// src/DefenderMcp/.mcp/server.json, the registry description packed into the tool package: it follows the MCP
/// registry's server.json structure and declares every environment variable the server reads.
/// </summary>
public sealed class ServerJsonTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(RepositoryFiles.RegistrySchema)));

    // The only variables whose values are secrets; a new secret variable must be added here and marked in server.json.
    private static readonly string[] SecretVariables =
        [EnvironmentVariables.ClientSecret, EnvironmentVariables.CertPassphrase, "DEFENDER_MCP_HTTP_TLS_CERT_PASSPHRASE", EnvironmentVariables.OtlpHeaders, "DEFENDER_MCP_REDIS_PASSWORD"];

    // A quoted variable name in the server's or the client's code: how a variable read outside EnvironmentVariables shows.
    private static readonly Regex QuotedVariable = new("\"((?:DEFENDER|AZURE|GRAPH|MCP)_[A-Z0-9_]*[A-Z0-9])\"", RegexOptions.CultureInvariant);

    [Fact]
    public void Server_json_follows_the_registry_schema()
    {
        var result = Validate(LoadServerJson());
        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [InlineData("no transport")]
    [InlineData("unknown package field")]
    [InlineData("description over 100 characters")]
    [InlineData("version latest")]
    [InlineData("variable without a name")]
    [InlineData("secret flag as a string")]
    [InlineData("name without a namespace")]
    public void The_schema_check_refuses_a_broken_server_json(string breakage)
    {
        var json = LoadServerJson();
        var package = json["packages"]![0]!.AsObject();
        var firstVariable = package["environmentVariables"]![0]!.AsObject();
        switch (breakage)
        {
            case "no transport": package.Remove("transport"); break;
            case "unknown package field": package["command"] = "dnx"; break;
            case "description over 100 characters": json["description"] = new string('x', 101); break;
            case "version latest": package["version"] = "latest"; break;
            case "variable without a name": firstVariable.Remove("name"); break;
            case "secret flag as a string": firstVariable["isSecret"] = "true"; break;
            case "name without a namespace": json["name"] = "defender-mcp"; break;
        }

        Assert.False(Validate(json).IsValid, breakage);
    }

    [Fact]
    public void Every_environment_variable_the_server_reads_is_declared_with_description_and_flags()
    {
        var read = typeof(EnvironmentVariables).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains(EnvironmentVariables.TenantId, read);
        foreach (var folder in new[] { "DefenderMcp", "DefenderMcp.Client" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "src", folder), "*.cs", SearchOption.AllDirectories))
            {
                read.UnionWith(QuotedVariable.Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value));
            }
        }

        Assert.Contains("DEFENDER_MCP_HTTP_URLS", read);

        var declared = Variables().ToDictionary(v => v["name"]!.GetValue<string>(), StringComparer.Ordinal);
        // A variable listed here is read by the server but missing from src/DefenderMcp/.mcp/server.json: add it there.
        Assert.Empty(read.Except(declared.Keys).Order());
        Assert.Empty(declared.Keys.Except(read).Order());
        foreach (var (name, variable) in declared)
        {
            Assert.False(string.IsNullOrWhiteSpace(variable["description"]?.GetValue<string>()), name);
            Assert.Equal(JsonValueKind.False, variable["isRequired"]?.GetValueKind());
            var secret = variable["isSecret"]?.GetValue<bool>();
            Assert.True(secret == SecretVariables.Contains(name), $"{name}: isSecret is {secret}");
        }
    }

    [Fact]
    public void The_toolsets_variable_names_every_toolset_of_the_catalog()
    {
        var description = Variables().Single(v => v["name"]!.GetValue<string>() == "DEFENDER_MCP_TOOLSETS")["description"]!.GetValue<string>();
        var missing = DefenderMcp.Mcp.ToolCatalog.ToolsetNames.Where(t => !Regex.IsMatch(description, $@"\b{t}\b")).ToList();
        Assert.True(missing.Count == 0, $"server.json's DEFENDER_MCP_TOOLSETS description lacks: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Package_identifier_and_versions_match_the_project()
    {
        var project = XDocument.Load(RepositoryFiles.ServerProject);
        string Property(string name) => project.Descendants(name).Single().Value;

        var json = LoadServerJson();
        var package = json["packages"]!.AsArray().Single()!;
        Assert.Equal("nuget", package["registryType"]!.GetValue<string>());
        Assert.Equal(Property("PackageId"), package["identifier"]!.GetValue<string>());
        Assert.Equal(Property("Version"), package["version"]!.GetValue<string>());
        Assert.Equal(Property("Version"), json["version"]!.GetValue<string>());
        Assert.Equal("stdio", package["transport"]!["type"]!.GetValue<string>());
        Assert.Equal(Property("RepositoryUrl"), json["repository"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void The_registry_can_verify_the_package_as_this_servers()
    {
        // The registry proves a NuGet package is the server's by finding "mcp-name: <name>" in the package's README,
        // and takes nuget.org by its V3 index. A package without the line can never be listed: versions are immutable.
        var json = LoadServerJson();
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "src", "DefenderMcp", "README.md"));
        Assert.Contains($"mcp-name: {json["name"]!.GetValue<string>()}", readme, StringComparison.Ordinal);
        Assert.Equal("https://api.nuget.org/v3/index.json", json["packages"]![0]!["registryBaseUrl"]!.GetValue<string>());
        Assert.Equal("https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json", json["$schema"]!.GetValue<string>());
    }

    internal static JsonObject LoadServerJson() => JsonNode.Parse(File.ReadAllText(RepositoryFiles.ServerJson))!.AsObject();

    internal static EvaluationResults Validate(JsonNode json)
    {
        using var doc = JsonDocument.Parse(json.ToJsonString());
        return Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
    }

    private static IEnumerable<JsonObject> Variables() =>
        LoadServerJson()["packages"]![0]!["environmentVariables"]!.AsArray().Select(v => v!.AsObject());

    private static string Describe(EvaluationResults result) =>
        string.Join('\n', (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));
}
