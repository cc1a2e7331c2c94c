using System.Text.Json;
using DefenderMcp.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DefenderMcp.Tests.Protocol;

/// <summary>
/// The three resource templates through the SDK client: what resources/templates/list says, which URIs read and which
/// the server does not know. Pinned as the SDK's attribute-based resources answered them (their URI template regex:
/// one path segment, ASCII case ignored, percent-decoded), so that our own prefix matching behaves the same.
/// </summary>
public sealed class ResourceTemplateTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Templates = """
        [{"name":"hunting_schema","uriTemplate":"defender://schema/{table}","description":"The columns and KQL types of one advanced hunting table.","mimeType":"application/json"},{"name":"hunting_result","uriTemplate":"defender://results/{resultId}","description":"A cached hunting result: schema and every row. Expires 30 minutes after the query.","mimeType":"application/json"},{"name":"saved_hunt","uriTemplate":"defender://hunts/{name}","description":"A saved hunt: its description, techniques, default timespan and KQL.","mimeType":"application/json"}]
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_three_templates_are_listed_and_no_fixed_resource()
    {
        await using var server = await ServerHarness.StartAsync(fixture);

        var templates = await server.Client.ListResourceTemplatesAsync(cancellationToken: Ct);
        var resources = await server.Client.ListResourcesAsync(cancellationToken: Ct);

        Assert.Equal(Templates, JsonSerializer.Serialize(templates.Select(t => t.ProtocolResourceTemplate), new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
        Assert.Empty(resources);
        Assert.True(server.Client.ServerCapabilities.Resources?.ListChanged);
    }

    [Fact]
    public async Task A_matching_uri_reads_as_json_under_the_uri_asked()
    {
        (string Uri, string Expected)[] cases =
        [
            ("defender://schema/DeviceInfo", "\"table\":\"DeviceInfo\""),
            ("DEFENDER://SCHEMA/DeviceInfo", "\"table\":\"DeviceInfo\""),
            ("defender://schema/Device%49nfo", "\"table\":\"DeviceInfo\""),
            ("deFender://Hunts/encoded-powershell", "\"name\":\"encoded-powershell\""),
        ];
        await using var server = await ServerHarness.StartAsync(fixture);

        foreach (var (uri, expected) in cases)
        {
            var contents = Assert.IsType<TextResourceContents>(Assert.Single((await server.Client.ReadResourceAsync(uri, cancellationToken: Ct)).Contents));

            Assert.Equal(uri, contents.Uri);
            Assert.Equal("application/json", contents.MimeType);
            Assert.Contains(expected, contents.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_cached_result_reads_whole_and_one_with_a_further_segment_is_unknown()
    {
        await using var server = await ServerHarness.StartAsync(fixture);
        var id = (await server.CallOkAsync("query_advanced_hunting", new() { ["query"] = "DeviceInfo | take 3", ["max_rows"] = 1 })).GetProperty("result_id").GetString()!;

        var contents = Assert.IsType<TextResourceContents>(Assert.Single((await server.Client.ReadResourceAsync($"defender://results/{id}", cancellationToken: Ct)).Contents));
        var further = await Assert.ThrowsAsync<McpProtocolException>(() => server.Client.ReadResourceAsync($"defender://results/{id}/x", cancellationToken: Ct).AsTask());

        Assert.Equal(3, JsonDocument.Parse(contents.Text).RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(McpErrorCode.InvalidParams, further.ErrorCode);
    }

    // Matched by a template, refused by its reader as resource not found (-32002, the MCP code; it was an opaque internal
    // error); then URIs no template matches, which get the SDK's own answer.
    [Fact]
    public async Task A_uri_naming_nothing_is_refused_by_its_reader_and_one_no_template_matches_is_unknown()
    {
        (string Uri, McpErrorCode Code, string Message)[] cases =
        [
            ("defender://schema/deviceinfo", McpErrorCode.ResourceNotFound, "Unknown table."),
            ("defender://schema/", McpErrorCode.ResourceNotFound, "Unknown table."),
            ("defender://schema/a,b", McpErrorCode.ResourceNotFound, "Unknown table."),
            ("defender://schema/%ZZ", McpErrorCode.ResourceNotFound, "Unknown table."),
            ("defender://schema/%2F", McpErrorCode.ResourceNotFound, "Unknown table."),
            ("defender://schema/Device Info", McpErrorCode.ResourceNotFound, "Unknown table."),
            ("defender://schema/DeviceInfo\n", McpErrorCode.ResourceNotFound, "Unknown table."),
            ("defender://hunts/", McpErrorCode.ResourceNotFound, "No saved hunt of that name."),
            ("defender://hunts/nope", McpErrorCode.ResourceNotFound, "No saved hunt of that name."),
            ("defender://results/", McpErrorCode.ResourceNotFound, "No such hunting result"),
            ("defender://results/nope", McpErrorCode.ResourceNotFound, "No such hunting result"),
            ("defender://schema", McpErrorCode.InvalidParams, "Unknown resource URI"),
            ("defender://schema/a/b", McpErrorCode.InvalidParams, "Unknown resource URI"),
            ("defender://schema/DeviceInfo/", McpErrorCode.InvalidParams, "Unknown resource URI"),
            ("defender://schema/DeviceInfo?x=1", McpErrorCode.InvalidParams, "Unknown resource URI"),
            ("defender://schema/DeviceInfo#x", McpErrorCode.InvalidParams, "Unknown resource URI"),
            ("defender://schema/a&b", McpErrorCode.InvalidParams, "Unknown resource URI"),
            ("defender://nope/x", McpErrorCode.InvalidParams, "Unknown resource URI"),
            ("other://schema/DeviceInfo", McpErrorCode.InvalidParams, "Unknown resource URI"),
            (" defender://schema/DeviceInfo", McpErrorCode.InvalidParams, "Unknown resource URI"),
            ("defender://\u017Fchema/DeviceInfo", McpErrorCode.InvalidParams, "Unknown resource URI"),
        ];
        await using var server = await ServerHarness.StartAsync(fixture);

        var wrong = new List<string>();
        foreach (var (uri, code, message) in cases)
        {
            try
            {
                await server.Client.ReadResourceAsync(uri, cancellationToken: Ct);
                wrong.Add($"{uri}: read");
            }
            catch (McpProtocolException e) when (e.ErrorCode != code || !e.Message.Contains(message, StringComparison.Ordinal))
            {
                wrong.Add($"{uri}: {e.ErrorCode} {e.Message}");
            }
            catch (McpProtocolException)
            {
                // The expected refusal.
            }
        }

        Assert.Empty(wrong);
    }
}
