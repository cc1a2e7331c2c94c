using DefenderMcp.E2E.Packaging;

namespace DefenderMcp.E2E;

/// <summary>
/// A file given as an extra certificate to trust that is not a PEM certificate stops the start (exit 2) naming the
/// setting, as every other setting does, instead of a server that starts and then fails each call.
/// </summary>
public sealed class TrustedCertificateStartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("defender-mcp-trust-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("serve")]
    [InlineData("doctor")]
    public async Task A_trust_certificate_that_is_not_a_pem_certificate_stops_the_start(string command)
    {
        var result = await RunAsync([command], new() { ["DEFENDER_TLS_TRUST_CERT"] = NotACertificate() });

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("DEFENDER_TLS_TRUST_CERT: not a PEM certificate", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_entra_callers_trust_certificate_is_checked_the_same_way()
    {
        var result = await RunAsync(["serve", "--transport", "http", "--urls", "http://127.0.0.1:1"], new()
        {
            ["DEFENDER_MCP_ENTRA_TENANT_ID"] = "00000000-0000-0000-0000-0000000000c1",
            ["DEFENDER_MCP_ENTRA_AUDIENCE"] = "api://defender-mcp",
            ["DEFENDER_MCP_ENTRA_TLS_TRUST_CERT"] = NotACertificate(),
        });

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("DEFENDER_MCP_ENTRA_TLS_TRUST_CERT: not a PEM certificate", result.Output, StringComparison.Ordinal);
    }

    private string NotACertificate()
    {
        var path = Path.Combine(_folder, "trust.pem");
        File.WriteAllText(path, "this is not a certificate\n");
        return path;
    }

    private static Task<ProcessRunner.Result> RunAsync(string[] args, Dictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>(settings)
        {
            ["AZURE_TENANT_ID"] = "00000000-0000-0000-0000-000000000001",
            ["AZURE_CLIENT_ID"] = "00000000-0000-0000-0000-0000000000a1",
            ["AZURE_CLIENT_SECRET"] = "a-secret-value",
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => (k.StartsWith("DEFENDER_", StringComparison.Ordinal) || k.StartsWith("AZURE_", StringComparison.Ordinal) || k.StartsWith("MCP_", StringComparison.Ordinal)) && !environment.ContainsKey(k)))
        {
            environment[name] = null;
        }

        return ProcessRunner.RunAsync("dotnet", [ServerProcess.DllPath, .. args], AppContext.BaseDirectory, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken, environment);
    }
}
