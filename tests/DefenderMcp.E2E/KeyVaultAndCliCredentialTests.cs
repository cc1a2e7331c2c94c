using System.Text.Json;
using DefenderMcp.Client.Http;
using DefenderMcp.E2E.Packaging;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Api;

namespace DefenderMcp.E2E;

/// <summary>
/// Credentials where deployments keep them, through the built server against the emulator: the app certificate read
/// from the emulator's Key Vault with its managed identity (App Service style endpoint), the vault refusing access
/// (exit 2 naming the URI), and <c>DEFENDER_AUTH=azure_cli</c> with a stand-in <c>az</c> on PATH.
/// </summary>
public sealed class KeyVaultAndCliCredentialTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("defender-mcp-vault-").FullName;
    private DefenderEmulator _emulator = null!;

    public async ValueTask InitializeAsync() =>
        _emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("secrets")]
    [InlineData("certificates")]
    public async Task A_tenant_whose_certificate_is_in_key_vault_starts_gets_a_token_and_calls(string kind)
    {
        var result = await CallAsync(VaultEnvironment($"{_emulator.BaseUri}{kind}/contoso-app-cert"), "list_incidents", "limit=2");

        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(2, json.RootElement.GetProperty("incidents").GetArrayLength());
        var requests = await _emulator.CreateControlClient().GetRequestsAsync(TestContext.Current.CancellationToken);
        Assert.Contains(requests, r => r.Path.StartsWith($"/{kind}/contoso-app-cert", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Path.StartsWith("/msi/token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_vault_that_refuses_access_stops_the_start_with_exit_2_naming_the_uri_and_never_the_value()
    {
        var uri = $"{_emulator.BaseUri}secrets/locked-cert";
        var result = await CallAsync(VaultEnvironment(uri), "list_incidents", "limit=1");

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains($"AZURE_CERT_KEY_VAULT_SECRET: {uri}: Key Vault refused access", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("MII", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Doctor_reads_the_vault_certificate_and_names_a_refusing_vault()
    {
        var good = await ProcessRunner.RunAsync("dotnet", [ServerProcess.DllPath, "doctor", "--json"], _folder, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken,
            VaultEnvironment($"{_emulator.BaseUri}secrets/contoso-app-cert"));
        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("read from https://", good.StandardOutput, StringComparison.Ordinal);

        var uri = $"{_emulator.BaseUri}certificates/locked-cert";
        var refused = await ProcessRunner.RunAsync("dotnet", [ServerProcess.DllPath, "doctor", "--json"], _folder, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken, VaultEnvironment(uri));
        Assert.True(refused.ExitCode == 1, refused.Output);
        using var json = JsonDocument.Parse(refused.StandardOutput);
        var certificate = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "certificate");
        Assert.Equal("problem", certificate.GetProperty("status").GetString());
        Assert.Contains(uri, certificate.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("'get'", certificate.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_cli_auth_uses_the_token_az_prints()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "the stand-in az is a POSIX shell script");
        var ct = TestContext.Current.CancellationToken;
        var tenant = _emulator.GetTenant("contoso");
        var graph = await EmulatorTokenAsync("https://graph.microsoft.com/.default", ct);
        var defender = await EmulatorTokenAsync("https://api.securitycenter.microsoft.com/.default", ct);
        var bin = Directory.CreateDirectory(Path.Combine(_folder, "bin")).FullName;
        var log = Path.Combine(_folder, "az.log");
        var az = Path.Combine(bin, "az");
        // A stand-in for the Azure CLI: it records how it was called and prints the token JSON `az account get-access-token` prints.
        File.WriteAllText(az, $$"""
            #!/bin/sh
            echo "$@" >> '{{log}}'
            case "$*" in
              *graph.microsoft.com*) token='{{graph}}' ;;
              *) token='{{defender}}' ;;
            esac
            printf '{"accessToken": "%s", "expiresOn": "%s", "expires_on": %s, "subscription": "00000000-0000-0000-0000-000000000000", "tenant": "{{tenant.TenantId}}", "tokenType": "Bearer"}\n' "$token" "$(date -d '+1 hour' '+%Y-%m-%d %H:%M:%S.000000')" "$(date -d '+1 hour' +%s)"
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(az, (UnixFileMode)0b111_101_101);
        }

        var environment = BaseEnvironment();
        environment["DEFENDER_AUTH"] = "azure_cli";
        environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        var result = await CallAsync(environment, "list_incidents", "limit=1");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("account get-access-token", File.ReadAllText(log), StringComparison.Ordinal);
        Assert.Contains(tenant.TenantId, File.ReadAllText(log), StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(result.StandardOutput))
        {
            Assert.Equal(1, json.RootElement.GetProperty("incidents").GetArrayLength());
        }

        Assert.DoesNotContain(graph, result.Output, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> BaseEnvironment()
    {
        var tenant = _emulator.GetTenant("contoso");
        var root = _emulator.BaseUri.AbsoluteUri;
        return new Dictionary<string, string?>
        {
            ["MCP_DEFENDER_XDR_TENANTS_FILE"] = null,
            ["AZURE_CERT_PATH"] = null,
            ["AZURE_CERT_PASSPHRASE"] = null,
            ["AZURE_CLIENT_SECRET"] = null,
            ["AZURE_FEDERATED_TOKEN_FILE"] = null,
            ["AZURE_TENANT_ID"] = tenant.TenantId,
            ["AZURE_CLIENT_ID"] = tenant.App.ClientId,
            ["AZURE_AUTHORITY_HOST"] = root,
            ["GRAPH_API_BASE"] = root,
            ["DEFENDER_API_BASE"] = root,
            ["DEFENDER_TLS_TRUST_CERT"] = _emulator.CertificatePemPath,
            ["XDG_CACHE_HOME"] = _folder,
        };
    }

    private Dictionary<string, string?> VaultEnvironment(string uri)
    {
        var environment = BaseEnvironment();
        environment["AZURE_CERT_KEY_VAULT_SECRET"] = uri;
        // The host's managed identity, App Service style: the emulator's system-assigned identity may read the vault.
        environment["IDENTITY_ENDPOINT"] = $"{_emulator.BaseUri}msi/token";
        environment["IDENTITY_HEADER"] = ManagedIdentityEndpoints.IdentityHeader;
        return environment;
    }

    private Task<ProcessRunner.Result> CallAsync(Dictionary<string, string?> environment, string tool, params string[] args) =>
        ProcessRunner.RunAsync(
            "dotnet",
            [ServerProcess.DllPath, "call", tool, .. args.SelectMany(a => new[] { "--arg", a })],
            _folder, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken, environment);

    private async Task<string> EmulatorTokenAsync(string scope, CancellationToken ct)
    {
        var tenant = _emulator.GetTenant("contoso");
        using var http = new HttpClient(TlsTrust.CreateHandler(_emulator.CertificatePemPath));
        using var response = await http.PostAsync(
            new Uri(_emulator.BaseUri, $"{tenant.TenantId}/oauth2/v2.0/token"),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = tenant.App.ClientId, ["client_secret"] = tenant.App.ClientSecret, ["scope"] = scope,
            }),
            ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
