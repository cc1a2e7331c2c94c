using System.Net;
using System.Net.Sockets;
using DefenderMcp.E2E.Packaging;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// What stops an HTTP start is one line naming the setting as the user gave it and the fix, with exit 2: an address
/// the server cannot listen on (here a port another process holds) instead of the host's stack trace, and a missing
/// API keys file by the option that named it with the command that makes one.
/// </summary>
public sealed class HttpStartProblemTests
{
    [Fact]
    public async Task A_port_in_use_is_one_line_with_the_fix_not_a_stack_trace()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var result = await RunAsync("serve", "--transport", "http", "--allow-anonymous-loopback", "--urls", $"http://127.0.0.1:{port}");

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"--urls http://127.0.0.1:{port}: the port is in use by another process", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_api_keys_file_is_named_by_its_option_with_the_command_that_makes_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "defender-mcp-no-keys-" + Guid.NewGuid().ToString("N") + ".json");

        var result = await RunAsync("serve", "--transport", "http", "--urls", "http://127.0.0.1:0", "--api-keys-file", missing);

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"the API keys file {missing} (--api-keys-file or DEFENDER_MCP_API_KEYS_FILE): file not found", result.Output, StringComparison.Ordinal);
        Assert.Contains($"defender-mcp keys add NAME --file {missing}", result.Output, StringComparison.Ordinal);
    }

    private static Task<ProcessRunner.Result> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync(
            "dotnet",
            [ServerProcess.DllPath, .. args],
            AppContext.BaseDirectory,
            TimeSpan.FromSeconds(60),
            TestContext.Current.CancellationToken,
            Environment.GetEnvironmentVariables().Keys.Cast<string>()
                .Where(k => k.StartsWith("DEFENDER_", StringComparison.Ordinal) || k.StartsWith("AZURE_", StringComparison.Ordinal) || k.StartsWith("MCP_", StringComparison.Ordinal))
                .ToDictionary(k => k, _ => (string?)null)
                .Concat(new Dictionary<string, string?>
                {
                    ["AZURE_TENANT_ID"] = "00000000-0000-0000-0000-000000000001",
                    ["AZURE_CLIENT_ID"] = "00000000-0000-0000-0000-0000000000a1",
                    ["AZURE_CLIENT_SECRET"] = "a-secret-value",
                })
                .ToDictionary(p => p.Key, p => p.Value));
}
