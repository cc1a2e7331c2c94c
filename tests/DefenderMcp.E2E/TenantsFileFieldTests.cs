using DefenderMcp.E2E.Packaging;

namespace DefenderMcp.E2E;

/// <summary>
/// A tenants file field the server does not know stops the start (exit 2) with its JSON path and the field it most
/// likely meant: a misspelt <c>protected_devices</c> must not leave the domain controllers unprotected in silence.
/// </summary>
public sealed class TenantsFileFieldTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("defender-mcp-fields-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_misspelt_tenant_field_is_refused_with_the_field_it_meant()
    {
        var file = TenantsFile("""
            {"default": "contoso", "tenants": {"contoso": {
              "tenant_id": "00000000-0000-0000-0000-000000000001", "client_id": "00000000-0000-0000-0000-0000000000a1",
              "client_secret_env": "CONTOSO_SECRET", "actions": "respond", "protected_device": ["*-dc-*"], "x\u0001y": 1}}}
            """);

        var serve = await RunAsync([], file);
        var doctor = await RunAsync(["doctor"], file);

        foreach (var result in new[] { serve, doctor })
        {
            Assert.True(result.ExitCode == 2, result.Output);
            Assert.Contains("tenants.contoso.protected_device: unknown setting; did you mean protected_devices?", result.Output, StringComparison.Ordinal);
            Assert.Contains("tenants.contoso (field 5): unknown setting", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("x\u0001y", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("a-secret-value", result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_documented_tenant_field_is_accepted()
    {
        var file = TenantsFile("""
            {"default": "contoso", "tenants": {"contoso": {
              "tenant_id": "00000000-0000-0000-0000-000000000001", "client_id": "00000000-0000-0000-0000-0000000000a1",
              "client_secret_env": "CONTOSO_SECRET", "auth": "secret", "cloud": "Commercial", "region": "eu",
              "authority_host": "https://127.0.0.1:1/", "graph_api_base": "https://127.0.0.1:1/", "defender_api_base": "https://127.0.0.1:1/",
              "actions": "respond", "confirmation": "token", "protected_devices": ["*-dc-*"], "protected_users": ["breakglass*@contoso.com"],
              "max_actions_per_hour": 5, "allow_offboard": false}}}
            """);

        var result = await RunAsync(["tools"], file);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("unknown setting", result.Output, StringComparison.Ordinal);
    }

    private string TenantsFile(string json)
    {
        var path = Path.Combine(_folder, "tenants.json");
        File.WriteAllText(path, json);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private static Task<ProcessRunner.Result> RunAsync(string[] args, string tenantsFile)
    {
        var environment = new Dictionary<string, string?>
        {
            ["MCP_DEFENDER_XDR_TENANTS_FILE"] = tenantsFile,
            ["CONTOSO_SECRET"] = "a-secret-value",
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => (k.StartsWith("DEFENDER_", StringComparison.Ordinal) || k.StartsWith("AZURE_", StringComparison.Ordinal)) && !environment.ContainsKey(k)))
        {
            environment[name] = null;
        }

        return ProcessRunner.RunAsync("dotnet", [ServerProcess.DllPath, .. args], AppContext.BaseDirectory, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken, environment);
    }
}
