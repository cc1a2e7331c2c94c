using System.Net;
using System.Net.Sockets;
using DefenderMcp.E2E.Packaging;

namespace DefenderMcp.E2E.Http;

/// <summary>
/// An HTTP address the server cannot listen on (here: a port another process holds) stops the start with exit 2 and
/// one line naming the address and the fix, like every other start problem, instead of the host's stack trace.
/// </summary>
public sealed class ListenProbeTests
{
    [Fact]
    public async Task A_port_in_use_is_one_line_with_the_fix_not_a_stack_trace()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [ServerProcess.DllPath, "serve", "--transport", "http", "--allow-anonymous-loopback", "--urls", $"http://127.0.0.1:{port}"],
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

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"--urls http://127.0.0.1:{port}: the port is in use by another process", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }
}
