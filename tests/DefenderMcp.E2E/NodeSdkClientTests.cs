using System.Text.Json;

namespace DefenderMcp.E2E;

/// <summary>The official TypeScript SDK client (from npm) against the built server in demo mode.</summary>
public sealed class NodeSdkClientTests
{
    [Fact]
    public async Task Typescript_sdk_client_calls_a_tool_and_sees_a_clean_stdout()
    {
        var ct = TestContext.Current.CancellationToken;
        await NodeFolder.Stdio.EnsureInstalledAsync(ct);
        var args = JsonSerializer.Serialize(new { query = "DeviceProcessEvents | where FileName =~ \"powershell.exe\" | take 5", tenant = "*" });

        var (code, stdout, stderr) = await NodeFolder.Stdio.RunAsync(
            ["client.mjs", "--tool", "query_advanced_hunting", "--args", args, "--", "dotnet", ServerProcess.DllPath, "--demo"],
            ct);

        Assert.True(code == 0, $"node client exited {code}: {stderr} | {stdout}");
        using var doc = JsonDocument.Parse(stdout);
        var structured = doc.RootElement.GetProperty("result").GetProperty("structuredContent");
        Assert.True(structured.GetProperty("fan_out").GetBoolean());
        Assert.Contains("query_advanced_hunting", doc.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("list_alerts", new[] { "severity=High", "limit=3" }, "alerts")]
    [InlineData("get_incident", new[] { "incident_id=4301" }, "impacted_entities")]
    [InlineData("list_incidents", new[] { "status=Active" }, "incidents")]
    public async Task Inspector_cli_calls_tools_and_validates_their_output_schemas(string tool, string[] toolArgs, string property)
    {
        var ct = TestContext.Current.CancellationToken;
        await NodeFolder.Stdio.EnsureInstalledAsync(ct);
        string[] args =
        [
            "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js", "--cli", "dotnet", ServerProcess.DllPath, "--demo",
            "--method", "tools/call", "--tool-name", tool, "--tool-arg", .. toolArgs, "--format", "json", "-q",
        ];

        var (code, stdout, stderr) = await NodeFolder.Stdio.RunAsync(args, ct);

        Assert.True(code == 0, $"inspector exited {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var structured = doc.RootElement.GetProperty("result").GetProperty("structuredContent");
        Assert.Equal("contoso", structured.GetProperty("tenant").GetString());
        Assert.True(structured.TryGetProperty(property, out _));
    }

    [Fact]
    public async Task Inspector_cli_strict_lint_finds_every_tool_schema_portable()
    {
        var ct = TestContext.Current.CancellationToken;
        await NodeFolder.Stdio.EnsureInstalledAsync(ct);

        var (code, stdout, stderr) = await NodeFolder.Stdio.RunAsync(
            ["node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js", "--cli", "dotnet", ServerProcess.DllPath, "--demo", "--method", "tools/list", "--strict", "--format", "json", "-q"],
            ct);

        Assert.True(code == 0, $"inspector --strict exited {code}: {stderr}");
        Assert.Contains("query_advanced_hunting", stdout, StringComparison.Ordinal);
    }
}
