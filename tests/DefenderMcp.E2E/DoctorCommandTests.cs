using System.Text.Json;
using DefenderMcp.E2E.Packaging;
using DefenderMcp.Emulator;

namespace DefenderMcp.E2E;

/// <summary>The built executable's <c>doctor</c> command against an emulator: exit codes, JSON on stdout, no secret in it.</summary>
public sealed class DoctorCommandTests : IAsyncLifetime
{
    private DefenderEmulator _emulator = null!;

    public async ValueTask InitializeAsync() =>
        _emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Doctor_exits_0_on_a_good_configuration_and_1_on_a_wrong_secret_with_json_on_stdout()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = _emulator.GetTenant("fabrikam").App;

        var good = await RunDoctorAsync(new() { ["AZURE_CERT_PATH"] = app.CertificatePfxPath, ["AZURE_CERT_PASSPHRASE"] = app.CertificatePassphrase }, ct);
        Assert.True(good.ExitCode == 0, good.Output);
        using (var json = JsonDocument.Parse(good.StandardOutput))
        {
            Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
            Assert.Contains(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "roles defender" && c.GetProperty("status").GetString() == "ok");
        }

        Assert.DoesNotContain(app.CertificatePassphrase, good.Output, StringComparison.Ordinal);

        var bad = await RunDoctorAsync(new() { ["AZURE_CLIENT_SECRET"] = "wrong-" + app.ClientSecret }, ct);
        Assert.True(bad.ExitCode == 1, bad.Output);
        using (var json = JsonDocument.Parse(bad.StandardOutput))
        {
            var token = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "token graph");
            Assert.Equal("problem", token.GetProperty("status").GetString());
            Assert.Contains("client secret", token.GetProperty("fix").GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(app.ClientSecret, bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_does_not_blame_the_secret_when_the_authority_does_not_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = _emulator.GetTenant("fabrikam").App;

        var result = await RunDoctorAsync(new() { ["AZURE_CLIENT_SECRET"] = app.ClientSecret, ["AZURE_AUTHORITY_HOST"] = "https://127.0.0.1:1/" }, ct);

        Assert.True(result.ExitCode == 1, result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Contains(checks, c => c.GetProperty("check").GetString() == "endpoint authority" && c.GetProperty("status").GetString() == "problem");
        var token = Assert.Single(checks, c => c.GetProperty("check").GetString()!.StartsWith("token", StringComparison.Ordinal));
        Assert.Equal("warn", token.GetProperty("status").GetString());
        Assert.DoesNotContain("wrong or expired", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_demo_checks_both_demo_tenants_against_the_emulator_and_finds_them_well()
    {
        var result = await ProcessRunner.RunAsync(
            "dotnet", [ServerProcess.DllPath, "doctor", "--demo", "--json"], AppContext.BaseDirectory, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken,
            new Dictionary<string, string?> { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = null, ["AZURE_TENANT_ID"] = null, ["AZURE_CLIENT_ID"] = null, ["AZURE_CERT_PATH"] = null, ["AZURE_CLIENT_SECRET"] = null });

        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        foreach (var tenant in new[] { "contoso", "fabrikam" })
        {
            foreach (var check in new[] { "certificate", "token graph", "roles graph", "token defender", "roles defender", "endpoint defender" })
            {
                Assert.Contains(checks, c => c.GetProperty("tenant").GetString() == tenant && c.GetProperty("check").GetString() == check && c.GetProperty("status").GetString() == "ok");
            }
        }

        Assert.Contains("DEMO MODE", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_demo_reads_the_callers_file_against_the_demo_tenants_as_serve_demo_does()
    {
        var folder = Directory.CreateTempSubdirectory("defender-mcp-doctor-demo-callers-").FullName;
        try
        {
            var callers = Path.Combine(folder, "callers.json");
            File.WriteAllText(callers, """{"callers": {"key:alice": {"tenants": ["contoso", "tailspin"], "actions": "read"}}}""");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(callers, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var result = await ProcessRunner.RunAsync(
                "dotnet", [ServerProcess.DllPath, "doctor", "--demo"], AppContext.BaseDirectory, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken,
                new Dictionary<string, string?> { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = null, ["AZURE_TENANT_ID"] = null, ["AZURE_CLIENT_ID"] = null, ["AZURE_CERT_PATH"] = null, ["AZURE_CLIENT_SECRET"] = null, ["DEFENDER_MCP_CALLERS_FILE"] = callers });

            Assert.True(result.ExitCode == 2, result.Output);
            Assert.Contains("'tailspin' is not a configured tenant", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Doctor_reads_the_callers_file_as_the_http_server_would_and_names_a_bad_rule()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = _emulator.GetTenant("fabrikam").App;
        var folder = Directory.CreateTempSubdirectory("defender-mcp-doctor-callers-").FullName;
        try
        {
            var callers = Path.Combine(folder, "callers.json");
            File.WriteAllText(callers, """{"callers": {"bogus": {"tenants": "*", "actions": "read"}}}""");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(callers, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var result = await RunDoctorAsync(new() { ["AZURE_CLIENT_SECRET"] = app.ClientSecret, ["DEFENDER_MCP_CALLERS_FILE"] = callers }, ct);

            Assert.True(result.ExitCode == 2, result.Output);
            using var json = JsonDocument.Parse(result.StandardOutput);
            var finding = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "callers");
            Assert.Equal("problem", finding.GetProperty("status").GetString());
            Assert.Contains("$.callers[\"bogus\"]: the name must start with key:", finding.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Doctor_names_an_http_setting_the_http_server_would_refuse()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = _emulator.GetTenant("fabrikam").App;

        var result = await RunDoctorAsync(new() { ["AZURE_CLIENT_SECRET"] = app.ClientSecret, ["DEFENDER_MCP_HTTP_RATE_LIMIT"] = "lots" }, ct);

        Assert.True(result.ExitCode == 2, result.Output);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var finding = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "http");
        Assert.Equal("problem", finding.GetProperty("status").GetString());
        Assert.Contains("DEFENDER_MCP_HTTP_RATE_LIMIT: expected a whole number", finding.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_reads_the_entra_authority_of_http_callers_and_names_an_untrusted_one()
    {
        // It said "No problems found" while the server could not read the authority's keys (its certificate not
        // trusted), so every Entra caller was refused.
        var ct = TestContext.Current.CancellationToken;
        var app = _emulator.GetTenant("fabrikam").App;
        var directory = _emulator.GetTenant("contoso").TenantId;
        Dictionary<string, string?> Entra(string? trust) => new()
        {
            ["AZURE_CLIENT_SECRET"] = app.ClientSecret,
            ["DEFENDER_MCP_ENTRA_TENANT_ID"] = directory,
            ["DEFENDER_MCP_ENTRA_AUDIENCE"] = "api://defender-mcp",
            ["DEFENDER_MCP_ENTRA_AUTHORITY"] = $"{_emulator.BaseUri}{directory}/v2.0",
            ["DEFENDER_MCP_ENTRA_TLS_TRUST_CERT"] = trust,
        };

        var trusted = await RunDoctorAsync(Entra(_emulator.CertificatePemPath), ct);
        var untrusted = await RunDoctorAsync(Entra(null), ct);

        Assert.True(trusted.ExitCode == 0, trusted.Output);
        using (var json = JsonDocument.Parse(trusted.StandardOutput))
        {
            var finding = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "entra");
            Assert.Equal("ok", finding.GetProperty("status").GetString());
        }

        Assert.True(untrusted.ExitCode == 1, untrusted.Output);
        using (var json = JsonDocument.Parse(untrusted.StandardOutput))
        {
            var finding = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "entra");
            Assert.Equal("problem", finding.GetProperty("status").GetString());
            Assert.Contains("cannot be reached", finding.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("certificate", finding.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("DEFENDER_MCP_ENTRA_TLS_TRUST_CERT", finding.GetProperty("fix").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Doctor_names_the_state_folder_the_embedded_state_is_kept_in()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = _emulator.GetTenant("fabrikam").App;
        var folder = Directory.CreateTempSubdirectory("defender-mcp-doctor-state-").FullName;
        try
        {
            var result = await RunDoctorAsync(new() { ["AZURE_CLIENT_SECRET"] = app.ClientSecret, ["DEFENDER_MCP_STATE_DIR"] = folder }, ct);

            Assert.True(result.ExitCode == 0, result.Output);
            using var json = JsonDocument.Parse(result.StandardOutput);
            var state = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("check").GetString() == "state");
            Assert.Contains($"in {folder} (DEFENDER_MCP_STATE_DIR", state.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Doctor_exits_2_on_an_invalid_configuration()
    {
        var result = await ProcessRunner.RunAsync(
            "dotnet", [ServerProcess.DllPath, "doctor"], AppContext.BaseDirectory, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken,
            new Dictionary<string, string?> { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = null, ["AZURE_TENANT_ID"] = "not a tenant", ["AZURE_CLIENT_ID"] = null, ["AZURE_CERT_PATH"] = null, ["AZURE_CLIENT_SECRET"] = null });
        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("PROBLEM", result.Output, StringComparison.Ordinal);
        Assert.Contains("AZURE_TENANT_ID", result.Output, StringComparison.Ordinal);
    }

    private Task<ProcessRunner.Result> RunDoctorAsync(Dictionary<string, string?> credential, CancellationToken ct)
    {
        var tenant = _emulator.GetTenant("fabrikam");
        var root = _emulator.BaseUri.AbsoluteUri;
        var environment = new Dictionary<string, string?>
        {
            ["MCP_DEFENDER_XDR_TENANTS_FILE"] = null,
            ["AZURE_CERT_PATH"] = null,
            ["AZURE_CERT_PASSPHRASE"] = null,
            ["AZURE_CLIENT_SECRET"] = null,
            ["AZURE_TENANT_ID"] = tenant.TenantId,
            ["AZURE_CLIENT_ID"] = tenant.App.ClientId,
            ["AZURE_AUTHORITY_HOST"] = root,
            ["GRAPH_API_BASE"] = root,
            ["DEFENDER_API_BASE"] = root,
            ["DEFENDER_TLS_TRUST_CERT"] = _emulator.CertificatePemPath,
            ["DEFENDER_ACTIONS"] = "respond",
        };
        foreach (var (name, value) in credential)
        {
            environment[name] = value;
        }

        return ProcessRunner.RunAsync("dotnet", [ServerProcess.DllPath, "doctor", "--json"], AppContext.BaseDirectory, TimeSpan.FromMinutes(2), ct, environment);
    }
}
