using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;
using DefenderMcp.Hosting.Doctor;
using DefenderMcp.Tests.Support;

namespace DefenderMcp.Tests.Doctor;

/// <summary>
/// <c>defender-mcp doctor</c> against the emulator over HTTPS: each misconfiguration we can produce is named with its
/// fix and exits non-zero; a good configuration exits 0; no secret ever reaches the report.
/// </summary>
public sealed class DoctorTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string WrongSecret = "not-the-secret-Zq81xW";
    private readonly string _folder = Directory.CreateTempSubdirectory("defender-mcp-doctor-").FullName;

    [Fact]
    public async Task A_good_configuration_passes_every_check_and_exits_0()
    {
        var app = Tenant.App;
        var report = await RunAsync(CertificateEnvironment(app.CertificatePfxPath, app.CertificatePassphrase));

        Assert.Equal(0, report.ExitCode);
        Assert.DoesNotContain(report.Findings, f => f.Status == DoctorStatus.Problem);
        foreach (var check in new[] { "configuration", "file mode", "certificate", "endpoint authority", "clock", "token graph", "token defender", "roles graph", "roles defender", "endpoint graph", "endpoint defender" })
        {
            Assert.Contains(report.Findings, f => f.Check == check && f.Status == DoctorStatus.Ok && f.Tenant != DoctorFinding.AllTenants);
        }

        Assert.Contains(app.CertificateThumbprint, Find(report, "certificate").Detail, StringComparison.OrdinalIgnoreCase);
        AssertNoSecret(report, app.CertificatePassphrase);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_named_with_its_fix_and_the_secret_is_never_printed()
    {
        var environment = BaseEnvironment(Tenant.App.ClientId);
        environment[EnvironmentVariables.ClientSecret] = WrongSecret;

        var report = await RunAsync(environment);

        Assert.Equal(1, report.ExitCode);
        var token = Find(report, "token graph");
        Assert.Equal(DoctorStatus.Problem, token.Status);
        Assert.Contains("client secret is wrong or expired", token.Fix, StringComparison.Ordinal);
        Assert.Contains(EnvironmentVariables.ClientSecret, token.Fix, StringComparison.Ordinal);
        Assert.Equal(DoctorStatus.Problem, Find(report, "token defender").Status);
        Assert.Equal(DoctorStatus.Warning, Find(report, "endpoint graph").Status);
        AssertNoSecret(report, WrongSecret);
    }

    [Fact]
    public async Task An_expired_certificate_is_named_with_its_expiry_and_the_renewal_fix()
    {
        var app = Tenant.App;
        var expired = Path.Combine(_folder, "expired.pfx");
        using (var original = X509CertificateLoader.LoadPkcs12FromFile(app.CertificatePfxPath, app.CertificatePassphrase, X509KeyStorageFlags.Exportable))
        using (var key = original.GetRSAPrivateKey()!)
        {
            var request = new CertificateRequest(original.SubjectName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var old = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-400), DateTimeOffset.UtcNow.AddDays(-2));
            File.WriteAllBytes(expired, old.Export(X509ContentType.Pfx, "expired-pass"));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(expired, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var report = await RunAsync(CertificateEnvironment(expired, "expired-pass"));

        Assert.Equal(1, report.ExitCode);
        var certificate = Find(report, "certificate");
        Assert.Equal(DoctorStatus.Problem, certificate.Status);
        Assert.Contains("expired on " + DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd"), certificate.Detail, StringComparison.Ordinal);
        Assert.Contains("upload its public part to the app registration", certificate.Fix, StringComparison.Ordinal);
        AssertNoSecret(report, "expired-pass");
    }

    [Fact]
    public async Task A_wrong_certificate_passphrase_is_named_without_echoing_it()
    {
        var report = await RunAsync(CertificateEnvironment(Tenant.App.CertificatePfxPath, WrongSecret));

        Assert.Equal(1, report.ExitCode);
        var certificate = Find(report, "certificate");
        Assert.Equal(DoctorStatus.Problem, certificate.Status);
        Assert.Contains("wrong passphrase", certificate.Detail, StringComparison.Ordinal);
        Assert.Contains(EnvironmentVariables.CertPassphrase, certificate.Fix, StringComparison.Ordinal);
        AssertNoSecret(report, WrongSecret);
    }

    [Fact]
    public async Task An_app_holding_roles_above_its_tenants_tier_is_warned_about_them_and_still_exits_0()
    {
        // A read-only tenant whose app can isolate devices passed as "the read tier's roles are granted": least
        // privilege is what an MSSP owes each customer, so the doctor names the roles the tier never uses.
        var app = Tenant.App;
        var read = await RunAsync(CertificateEnvironment(app.CertificatePfxPath, app.CertificatePassphrase));
        var everything = CertificateEnvironment(app.CertificatePfxPath, app.CertificatePassphrase);
        everything[EnvironmentVariables.Actions] = "live_response";
        var all = await RunAsync(everything);

        Assert.Equal(0, read.ExitCode);
        var extra = Find(read, "extra roles defender");
        Assert.Equal(DoctorStatus.Warning, extra.Status);
        Assert.Contains("Machine.Isolate", extra.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Machine.Read.All", extra.Detail, StringComparison.Ordinal);
        Assert.Contains("WindowsDefenderATP", extra.Fix, StringComparison.Ordinal);
        Assert.Equal(0, all.ExitCode);
        Assert.DoesNotContain(all.Findings, f => f.Check.StartsWith("extra roles", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_app_role_for_the_enabled_tier_is_named_with_the_permission_to_grant()
    {
        var limited = Tenant.LimitedApp;
        var environment = BaseEnvironment(limited.ClientId);
        environment[EnvironmentVariables.ClientSecret] = limited.ClientSecret;
        environment[EnvironmentVariables.Actions] = "respond";

        var report = await RunAsync(environment);

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(DoctorStatus.Ok, Find(report, "token graph").Status);
        var graph = Find(report, "roles graph");
        var defender = Find(report, "roles defender");
        Assert.Equal((DoctorStatus.Problem, DoctorStatus.Problem), (graph.Status, defender.Status));
        Assert.Contains("SecurityIncident.ReadWrite.All", graph.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("ThreatHunting.Read.All", graph.Detail, StringComparison.Ordinal);
        Assert.Contains("Machine.Isolate", defender.Detail, StringComparison.Ordinal);
        Assert.Contains("WindowsDefenderATP", defender.Fix, StringComparison.Ordinal);
        AssertNoSecret(report, limited.ClientSecret);
    }

    [Fact]
    public async Task Only_the_roles_of_the_listed_toolsets_are_asked_for()
    {
        // The limited app holds ThreatHunting.Read.All and Machine.Read.All: enough for hunting, not for devices
        // (get_device also reads the device's alerts, Alert.Read.All); vulnerability roles are never asked for here.
        var limited = Tenant.LimitedApp;
        var hunting = BaseEnvironment(limited.ClientId);
        hunting[EnvironmentVariables.ClientSecret] = limited.ClientSecret;
        hunting["DEFENDER_MCP_TOOLSETS"] = "hunting,status";
        var devices = new Dictionary<string, string>(hunting) { ["DEFENDER_MCP_TOOLSETS"] = "hunting,devices" };

        var huntingReport = await RunAsync(hunting);
        var devicesReport = await RunAsync(devices);

        Assert.Equal((DoctorStatus.Ok, DoctorStatus.Ok), (Find(huntingReport, "roles graph").Status, Find(huntingReport, "roles defender").Status));
        var defender = Find(devicesReport, "roles defender");
        Assert.Equal(DoctorStatus.Problem, defender.Status);
        Assert.Contains("Alert.Read.All", defender.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Vulnerability.Read.All", defender.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("File.Read.All", defender.Detail, StringComparison.Ordinal);
        Assert.Equal(DoctorStatus.Ok, Find(devicesReport, "roles graph").Status);
    }

    [Fact]
    public async Task A_down_endpoint_is_named_while_the_other_api_still_passes()
    {
        var app = Tenant.App;
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Count = 0, PathPattern = "^/api/machines" }, TestContext.Current.CancellationToken);
        try
        {
            var report = await RunAsync(CertificateEnvironment(app.CertificatePfxPath, app.CertificatePassphrase));

            Assert.Equal(1, report.ExitCode);
            var defender = Find(report, "endpoint defender");
            Assert.Equal(DoctorStatus.Problem, defender.Status);
            Assert.Contains("HTTP 503", defender.Detail, StringComparison.Ordinal);
            Assert.Contains("reachable from this host", defender.Fix, StringComparison.Ordinal);
            Assert.Equal(DoctorStatus.Ok, Find(report, "endpoint graph").Status);
            Assert.Equal(DoctorStatus.Ok, Find(report, "token defender").Status);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_certificate_readable_by_others_is_an_invalid_configuration_with_the_chmod_to_run()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("POSIX file modes");
        }

        var loose = Path.Combine(_folder, "loose.pfx");
        File.Copy(Tenant.App.CertificatePfxPath, loose);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(loose, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var report = await RunAsync(CertificateEnvironment(loose, Tenant.App.CertificatePassphrase));

        Assert.Equal(2, report.ExitCode);
        var problem = Assert.Single(report.Findings, f => f.Status == DoctorStatus.Problem);
        Assert.Contains(EnvironmentVariables.CertPath, problem.Detail, StringComparison.Ordinal);
        Assert.Contains("chmod 600", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_and_json_carry_every_finding_and_its_fix()
    {
        var report = new DoctorReport(
            [
                new("contoso", "certificate", DoctorStatus.Problem, "expired on 2020-01-01 00:00 UTC", "renew it"),
                new("contoso", "clock", DoctorStatus.Ok, "within 1 s"),
            ],
            ConfigurationInvalid: false);

        var table = report.ToTable();
        Assert.Contains("PROBLEM", table, StringComparison.Ordinal);
        Assert.Contains("fix: renew it", table, StringComparison.Ordinal);
        Assert.Contains("1 problem found.", table, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(1, json.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Equal("problem", json.RootElement.GetProperty("checks")[0].GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.RootElement.GetProperty("checks")[1].GetProperty("fix").ValueKind);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private EmulatedTenant Tenant => fixture.Emulator.GetTenant("contoso");

    private Dictionary<string, string> BaseEnvironment(string clientId)
    {
        var root = fixture.Emulator.BaseUri.AbsoluteUri;
        return new Dictionary<string, string>
        {
            [EnvironmentVariables.TenantId] = Tenant.TenantId,
            [EnvironmentVariables.ClientId] = clientId,
            [EnvironmentVariables.AuthorityHost] = root,
            [EnvironmentVariables.GraphApiBase] = root,
            [EnvironmentVariables.DefenderApiBase] = root,
            [EnvironmentVariables.TlsTrustCert] = fixture.Emulator.CertificatePemPath,
        };
    }

    private Dictionary<string, string> CertificateEnvironment(string path, string passphrase)
    {
        var environment = BaseEnvironment(Tenant.App.ClientId);
        environment[EnvironmentVariables.CertPath] = path;
        environment[EnvironmentVariables.CertPassphrase] = passphrase;
        return environment;
    }

    private static Task<DoctorReport> RunAsync(Dictionary<string, string> environment) =>
        new DefenderMcp.Hosting.Doctor.Doctor(TimeProvider.System).RunAsync(
            new EnvironmentSource(name => environment.GetValueOrDefault(name), new Dictionary<string, string>()),
            null,
            TestContext.Current.CancellationToken);

    private static DoctorFinding Find(DoctorReport report, string check) =>
        Assert.Single(report.Findings, f => f.Check == check && f.Tenant != DoctorFinding.AllTenants);

    private static void AssertNoSecret(DoctorReport report, string secret)
    {
        Assert.DoesNotContain(secret, report.ToTable(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, report.ToJson(), StringComparison.Ordinal);
    }
}
