using System.Text.Json;
using System.Text.Json.Nodes;
using DefenderMcp.Areas.Identity;
using DefenderMcp.Areas.Vulnerabilities;
using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Mcp;
using DefenderMcp.Tests.Support;
using Json.Schema;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// One declaration per parameter: the schema a tool advertises in tools/list and the validation its arguments meet
/// come from the same <see cref="ToolParameter"/>, so on every sample the advertised pattern (run by a JSON Schema
/// validator) and the server's check accept and refuse the same values.
/// </summary>
public sealed class ToolParameterTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    // Values near every id format the tools take, and values just outside them.
    // Parameters whose schema is made by hand because a dedicated reader checks them: the tenant selector's tenant, and
    // import_indicators' list of objects, each item checked by add_indicator's rules. Any other must be a typed declaration.
    private static readonly HashSet<string> HandMadeSchemas = ["tenant", "import_indicators.indicators"];

    private static readonly string[] Samples =
    [
        "4312", "0", "12345678901234567890", "123456789012345678901", "-1", "43a", "٤٣١٢", "４３１２",
        "da637551227677560813_-961444813", "alert id", "a/b", "../etc/passwd", "x;y", "ä", "'", "\"", "<script>", "%00",
        "7f2d1c3e-1b2a-4c5d-9e8f-0a1b2c3d4e5f", "7F2D1C3E-1B2A-4C5D-9E8F-0A1B2C3D4E5F", "7f2d1c3e1b2a4c5d9e8f0a1b2c3d4e5f",
        "0123456789abcdef0123456789abcdef----", new string('-', 36), "7f2d1c3e-1b2a-4c5d-9e8f-0a1b2c3d4e5g",
        "3395856ce81f2b7382dee72602f798b642f14140", "3395856CE81F2B7382DEE72602F798B642F14140", "3395856ce81f2b7382dee72602f798b642f1414",
        new string('g', 40), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "ctso-fin-lt-011.contoso.com", "-leading", ".leading", new string('a', 64), new string('a', 65), new string('a', 255), new string('a', 256),
        "hr_abcdefghij12", "hr_short", "DeviceProcessEvents", "Device Process", "_x", "encoded-powershell", "Encoded-PowerShell",
        "Windows11", "Windows 11", "tag one", "contoso-payroll-update.com", "office-encoded-powershell", "T1059.001", "x", "a b",
        "185.220.101.47", "C:\\Windows", "adele.vance@contoso.com",
        "CVE-2023-36884", "cve-2023-36884", "CVE-23-36884", "CVE-2023-36884/machineReferences", "CVE-2023-" + new string('1', 20),
        "microsoft-_-office", "apache-_-log4j", "eclipse-foundation-_-jetty", "microsoft--_-office", "office", "-_-office", "microsoft-_-",
        "adele..vance@contoso.com", "adele@contoso..com", "@contoso.com", "adele@", "o'brien@contoso.com", "29f270bb-4d23-4f68-8a57-dc73dc0d4caf",
        new string('a', 113) + "@" + new string('b', 206), new string('a', 113) + "@" + new string('b', 207), new string('a', 114) + "@b",
    ];

    [Fact]
    public async Task Every_declared_pattern_accepts_exactly_what_validation_accepts()
    {
        var failures = new List<string>();
        foreach (var (tool, parameter, schema) in await PatternParametersAsync())
        {
            var accepted = 0;
            foreach (var sample in Samples)
            {
                var advertised = Evaluate(schema, parameter.Kind == ToolParameterKind.StringList ? new JsonArray(sample) : JsonValue.Create(sample));
                var validated = Validates(parameter, sample);
                accepted += validated ? 1 : 0;
                if (advertised != validated)
                {
                    failures.Add($"{tool}.{parameter.Name} on '{sample}': schema {(advertised ? "accepts" : "refuses")}, validation {(validated ? "accepts" : "refuses")}");
                }
            }

            if (accepted == 0 || accepted == Samples.Length)
            {
                failures.Add($"{tool}.{parameter.Name}: the samples do not test its pattern {parameter.Pattern} both ways; add a sample.");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_cve_software_and_user_parameters_accept_exactly_what_the_client_rules_accept()
    {
        // The client owns these identifier rules; the declared patterns must not drift from them.
        foreach (var sample in Samples)
        {
            Assert.True(Validates(UserArguments.User, sample) == DefenderClient.IsUserReference(sample), $"user on '{sample}'");
            Assert.True(Validates(VulnerabilityArguments.Cve, sample) == (DefenderClient.CanonicalCve(sample) is not null), $"cve on '{sample}'");
            Assert.True(Validates(VulnerabilityArguments.Software, sample) == DefenderClient.IsSoftwareId(sample), $"software on '{sample}'");
        }
    }

    [Fact]
    public async Task Every_tool_advertises_exactly_its_declared_parameters_and_no_schema_written_by_hand()
    {
        var listed = await ListedAsync();
        var failures = new List<string>();

        Assert.False(typeof(ToolDefinition).GetProperty(nameof(ToolDefinition.InputSchema))!.CanWrite, "A tool could set its input schema by hand.");
        Assert.Equal(ToolCatalog.Entries.Select(e => e.Definition.Name).Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        foreach (var definition in ToolCatalog.Entries.Select(e => e.Definition))
        {
            var schema = listed[definition.Name];
            if (!JsonElement.DeepEquals(JsonSerializer.SerializeToElement(Schema.ObjectOf(definition.Parameters)), schema))
            {
                failures.Add($"{definition.Name}: tools/list advertises another input schema than its declared parameters make");
            }

            foreach (var parameter in definition.Parameters.Where(p => p.Kind == ToolParameterKind.Custom && !HandMadeSchemas.Contains(p.Name) && !HandMadeSchemas.Contains($"{definition.Name}.{p.Name}")))
            {
                failures.Add($"{definition.Name}.{parameter.Name}: a hand-made schema; declare it as ToolParameter.String, Enum, Integer, ... so one declaration makes its schema and its check");
            }

            foreach (var (path, pattern) in Patterns(schema, string.Empty))
            {
                var declared = definition.Parameters.FirstOrDefault(p => p.Pattern is not null && path == (p.Kind == ToolParameterKind.StringList ? $"/properties/{p.Name}/items" : $"/properties/{p.Name}"));
                if (declared?.Pattern != pattern)
                {
                    failures.Add($"{definition.Name}{path}: pattern {pattern} does not come from a ToolParameter declaration");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void No_source_file_writes_a_schema_pattern_outside_the_parameter_declaration()
    {
        var src = Path.Combine(Root(), "src", "DefenderMcp");
        string[] declaration = [Path.Combine(src, "Mcp", "Schema.cs"), Path.Combine(src, "Mcp", "ToolParameter.cs")];
        var files = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();

        Assert.All(declaration, d => Assert.Contains(d, files));
        Assert.Empty(files.Where(f => !declaration.Contains(f) && File.ReadAllText(f).Contains("\"pattern\"", StringComparison.Ordinal)).Select(f => Path.GetRelativePath(src, f)));
    }

    [Fact]
    public void Reading_a_parameter_against_its_declaration_is_refused_as_a_programming_error()
    {
        var optional = ToolParameter.String("note", "A note.", 10);
        var args = new ToolArguments(new Dictionary<string, JsonElement> { ["note"] = JsonSerializer.SerializeToElement("hi") }, ["note"]);

        Assert.Equal("hi", args.OptionalString(optional));
        Assert.Throws<InvalidOperationException>(() => args.RequiredString(optional));
        Assert.Throws<InvalidOperationException>(() => args.OptionalEnum(optional));
        Assert.Equal("hi", args.RequiredString(optional.AsRequired()));
    }

    private static IEnumerable<(string Path, string Pattern)> Patterns(JsonElement node, string path)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            return node.EnumerateArray().SelectMany((item, i) => Patterns(item, $"{path}/{i}"));
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return node.EnumerateObject().SelectMany(p => p.Name == "pattern" && p.Value.ValueKind == JsonValueKind.String
            ? [(path, p.Value.GetString()!)]
            : Patterns(p.Value, $"{path}/{p.Name}"));
    }

    private static string Root() => RepositoryRoot.Folder;

    private async Task<Dictionary<string, JsonElement>> ListedAsync()
    {
        await using var server = await ServerHarness.StartAsync(fixture, tier: ActionTier.LiveResponse);
        var tools = await server.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        return tools.ToDictionary(t => t.Name, t => t.ProtocolTool.InputSchema.Clone(), StringComparer.Ordinal);
    }

    private async Task<List<(string Tool, ToolParameter Parameter, JsonSchema Schema)>> PatternParametersAsync()
    {
        var listed = await ListedAsync();
        var result = new List<(string, ToolParameter, JsonSchema)>();
        foreach (var definition in ToolCatalog.Entries.Select(e => e.Definition))
        {
            foreach (var parameter in definition.Parameters.Where(p => p.Pattern is not null))
            {
                var property = listed[definition.Name].GetProperty("properties").GetProperty(parameter.Name);
                result.Add((definition.Name, parameter, JsonSchema.Build(property, baseUri: new Uri($"https://defender-mcp.test/{definition.Name}/{parameter.Name}/{Guid.NewGuid():N}"))));
            }
        }

        Assert.NotEmpty(result);
        return result;
    }

    private static bool Evaluate(JsonSchema schema, JsonNode instance) =>
        schema.Evaluate(JsonSerializer.SerializeToElement(instance)).IsValid;

    private static bool Validates(ToolParameter parameter, string sample)
    {
        var value = parameter.Kind == ToolParameterKind.StringList
            ? JsonSerializer.SerializeToElement(new[] { sample })
            : JsonSerializer.SerializeToElement(sample);
        var args = new ToolArguments(new Dictionary<string, JsonElement> { [parameter.Name] = value }, [parameter.Name]);
        try
        {
            _ = parameter.Kind == ToolParameterKind.StringList ? (object?)args.OptionalStringList(parameter) : args.OptionalString(parameter);
            return true;
        }
        catch (ToolException)
        {
            return false;
        }
    }
}
