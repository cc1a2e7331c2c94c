using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DefenderMcp.E2E.Packaging;

namespace DefenderMcp.E2E;

/// <summary>
/// The built executable checks certificate files at start: a wrong passphrase, an expired certificate or one without
/// its private key is exit 2 with a line naming the tenant, the file and the setting, never the passphrase.
/// </summary>
public sealed class CertificateStartupTests : IDisposable
{
    private const string TenantId = "6babcaad-604b-40ac-a9d7-9fd97c0b779f";
    private const string Passphrase = "right-horse-battery";
    private readonly string _folder = Directory.CreateTempSubdirectory("defender-mcp-cert-startup-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private static X509Certificate2 Certificate(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=defender-mcp-startup-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    private static Task<ProcessRunner.Result> StartAsync(Dictionary<string, string?> environment)
    {
        environment["MCP_DEFENDER_XDR_TENANTS_FILE"] = environment.GetValueOrDefault("MCP_DEFENDER_XDR_TENANTS_FILE");
        environment["AZURE_CLIENT_SECRET"] = null;
        environment["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-cache");
        return ProcessRunner.RunAsync("dotnet", [ServerProcess.DllPath, "tools"], AppContext.BaseDirectory, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken, environment);
    }

    private static Dictionary<string, string?> Single(string path, string? passphrase) => new()
    {
        ["AZURE_TENANT_ID"] = TenantId,
        ["AZURE_CLIENT_ID"] = "0d4f0c6a-1b8e-4c43-9a51-2f6d2b7f0a11",
        ["AZURE_CERT_PATH"] = path,
        ["AZURE_CERT_PASSPHRASE"] = passphrase,
    };

    [Fact]
    public async Task A_good_certificate_starts_and_a_wrong_passphrase_is_exit_2_naming_tenant_file_and_setting()
    {
        using var certificate = Certificate(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Write("app.pfx", certificate.Export(X509ContentType.Pfx, Passphrase));

        var good = await StartAsync(Single(path, Passphrase));
        var wrong = await StartAsync(Single(path, "wrong-" + Passphrase));

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.True(wrong.ExitCode == 2, wrong.Output);
        Assert.Contains("AZURE_CERT_PATH", wrong.Output, StringComparison.Ordinal);
        Assert.Contains(path, wrong.Output, StringComparison.Ordinal);
        Assert.Contains(TenantId, wrong.Output, StringComparison.Ordinal);
        Assert.Contains("wrong passphrase", wrong.Output, StringComparison.Ordinal);
        Assert.Contains("AZURE_CERT_PASSPHRASE", wrong.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, wrong.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", wrong.Output, StringComparison.Ordinal);
    }

    // serve over stdio opens the certificate beside the host's construction: a bad one is still exit 2 with the same
    // line, before anything is served (no byte on stdout, no start audit line), and a good one serves until stdin closes.
    [Fact]
    public async Task Serve_over_stdio_checks_the_certificate_beside_the_host_and_serves_nothing_when_it_is_bad()
    {
        using var certificate = Certificate(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Write("serve.pfx", certificate.Export(X509ContentType.Pfx, Passphrase));

        async Task<(int Code, string Stdout, string Stderr)> ServeAsync(string passphrase)
        {
            var info = ServerProcess.StartInfo("serve");
            foreach (var (name, value) in Single(path, passphrase))
            {
                info.Environment[name] = value;
            }

            info.Environment["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "defender-mcp-e2e-cache");
            return await ServerProcess.RunAsync(info, TestContext.Current.CancellationToken);
        }

        var good = await ServeAsync(Passphrase);
        var wrong = await ServeAsync("wrong-" + Passphrase);

        Assert.True(good.Code == 0, good.Stderr);
        Assert.Contains("\"event\":\"server_start\"", good.Stderr, StringComparison.Ordinal);
        Assert.True(wrong.Code == 2, wrong.Stderr);
        Assert.Equal(string.Empty, wrong.Stdout);
        Assert.Contains("AZURE_CERT_PATH", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("wrong passphrase", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("server_start", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, wrong.Stderr.Replace("wrong-" + Passphrase, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-" + Passphrase, wrong.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_certificate_is_exit_2_with_its_expiry()
    {
        using var certificate = Certificate(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-3));
        var path = Write("expired.pfx", certificate.Export(X509ContentType.Pfx, Passphrase));

        var result = await StartAsync(Single(path, Passphrase));

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("expired on " + DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), result.Output, StringComparison.Ordinal);
        Assert.Contains(path, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_without_its_private_key_in_a_tenants_file_is_exit_2_naming_the_tenant_key()
    {
        using var certificate = Certificate(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var path = Write("public-only.pfx", publicOnly.Export(X509ContentType.Pfx, Passphrase));
        var tenants = Write("tenants.json", System.Text.Encoding.UTF8.GetBytes("""
            {"default": "northwind", "tenants": {"northwind": {"tenant_id": "TENANT", "client_id": "0d4f0c6a-1b8e-4c43-9a51-2f6d2b7f0a11",
              "cert_path": "PATH", "cert_passphrase_env": "NORTHWIND_CERT_PASSPHRASE"}}}
            """.Replace("TENANT", TenantId, StringComparison.Ordinal).Replace("PATH", path, StringComparison.Ordinal)));

        var result = await StartAsync(new() { ["MCP_DEFENDER_XDR_TENANTS_FILE"] = tenants, ["NORTHWIND_CERT_PASSPHRASE"] = Passphrase, ["AZURE_TENANT_ID"] = null, ["AZURE_CLIENT_ID"] = null, ["AZURE_CERT_PATH"] = null });

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("tenants.northwind.cert_path", result.Output, StringComparison.Ordinal);
        Assert.Contains("tenant 'northwind'", result.Output, StringComparison.Ordinal);
        Assert.Contains("no private key", result.Output, StringComparison.Ordinal);
        Assert.Contains(path, result.Output, StringComparison.Ordinal);
    }

    // Item 13's "unreadable": a file that is not a certificate, and a path with no file, fail the start too.
    [Theory]
    [InlineData("garbage")]
    [InlineData("missing")]
    public async Task An_unreadable_or_missing_certificate_file_is_exit_2_naming_the_setting(string kind)
    {
        var path = kind == "garbage" ? Write("garbage.pfx", System.Text.Encoding.UTF8.GetBytes("this is not a certificate")) : Path.Combine(_folder, "absent.pfx");

        var result = await StartAsync(Single(path, Passphrase));

        Assert.True(result.ExitCode == 2, result.Output);
        Assert.Contains("AZURE_CERT_PATH", result.Output, StringComparison.Ordinal);
        Assert.Contains(kind == "garbage" ? path : "AZURE_CERT_PATH: ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine(result.Output);
    }
}
