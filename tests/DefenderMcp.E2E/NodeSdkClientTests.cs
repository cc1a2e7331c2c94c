using System.Diagnostics;
using System.Text.Json;

namespace DefenderMcp.E2E;

/// <summary>The official TypeScript SDK client (from npm) against the built server in demo mode.</summary>
public sealed class NodeSdkClientTests
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static string NodeDir => Path.Combine(AppContext.BaseDirectory, "node");

    private static async Task EnsureInstalledAsync(CancellationToken ct)
    {
        await InstallGate.WaitAsync(ct);
        try
        {
            if (Directory.Exists(Path.Combine(NodeDir, "node_modules", "@modelcontextprotocol", "sdk")) &&
                Directory.Exists(Path.Combine(NodeDir, "node_modules", "@modelcontextprotocol", "inspector")))
            {
                return;
            }

            var (code, _, err) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], NodeDir, ct);
            Assert.True(code == 0, "npm install failed: " + err);
        }
        finally
        {
            InstallGate.Release();
        }
    }

    [Fact]
    public async Task Typescript_sdk_client_calls_a_tool_and_sees_a_clean_stdout()
    {
        var ct = TestContext.Current.CancellationToken;
        await EnsureInstalledAsync(ct);
        var args = JsonSerializer.Serialize(new { query = "DeviceProcessEvents | where FileName =~ \"powershell.exe\" | take 5", tenant = "*" });

        var (code, stdout, stderr) = await RunAsync(
            "node",
            ["client.mjs", "--tool", "query_advanced_hunting", "--args", args, "--", "dotnet", ServerProcess.DllPath, "--demo"],
            NodeDir,
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
        await EnsureInstalledAsync(ct);
        string[] args =
        [
            "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js", "--cli", "dotnet", ServerProcess.DllPath, "--demo",
            "--method", "tools/call", "--tool-name", tool, "--tool-arg", .. toolArgs, "--format", "json", "-q",
        ];

        var (code, stdout, stderr) = await RunAsync("node", args, NodeDir, ct);

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
        await EnsureInstalledAsync(ct);

        var (code, stdout, stderr) = await RunAsync(
            "node",
            ["node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js", "--cli", "dotnet", ServerProcess.DllPath, "--demo", "--method", "tools/list", "--strict", "--format", "json", "-q"],
            NodeDir,
            ct);

        Assert.True(code == 0, $"inspector --strict exited {code}: {stderr}");
        Assert.Contains("query_advanced_hunting", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string[] args, string workingDirectory, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The inspector keeps state under HOME; give it a private one.
        info.Environment["HOME"] = Path.Combine(workingDirectory, ".home");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
