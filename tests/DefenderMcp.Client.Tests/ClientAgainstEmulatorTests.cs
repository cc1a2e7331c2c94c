using System.Diagnostics;
using DefenderMcp.Client.Http;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Client.Tests;

// Faults here are scoped to a tenant and a path, and the class owns its emulator, so tests stay independent.
public sealed class ClientAgainstEmulatorTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Secret_auth_reads_incidents_with_their_alerts()
    {
        using var client = fixture.Client("contoso");

        var incidents = await client.ListIncidentsAsync(new IncidentFilter(Severity: "high"), 10, Ct);
        var incident = await client.GetIncidentAsync(incidents[0].Id, Ct);

        Assert.All(incidents, i => Assert.Equal("high", i.Severity));
        Assert.NotEmpty(incident.Alerts);
        Assert.All(incident.Alerts, a => Assert.Equal(incident.Id, a.IncidentId));
        Assert.Contains(incident.Alerts.SelectMany(a => a.Evidence), e => e.Type == "deviceEvidence");
    }

    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task Certificate_auth_succeeds_with_pfx_and_pem(string format)
    {
        var app = fixture.Emulator.GetTenant("fabrikam").App;
        TenantCredential credential = format == "pfx"
            ? new CertificateFileCredential(app.CertificatePfxPath, app.CertificatePassphrase)
            : new CertificateFileCredential(app.CertificatePemPath, null);
        using var client = fixture.Client("fabrikam", credential);

        var machines = await client.ListMachinesAsync(new MachineFilter(), 100, Ct);

        Assert.Contains(machines, m => m.ComputerDnsName!.StartsWith("fbrk-", StringComparison.Ordinal));
        Assert.Contains("Machine.Isolate", await client.GetGrantedRolesAsync(DefenderApi.Mde, Ct));
    }

    [Fact]
    public async Task Certificate_auth_succeeds_with_an_encrypted_pem_key()
    {
        var app = fixture.Emulator.GetTenant("contoso").App;
        using var pfx = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(app.CertificatePfxPath, app.CertificatePassphrase);
        using var key = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(pfx)!;
        var pbe = new System.Security.Cryptography.PbeParameters(System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 100_000);
        var path = Path.Combine(Path.GetTempPath(), $"client-test-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(path, pfx.ExportCertificatePem() + "\n" + key.ExportEncryptedPkcs8PrivateKeyPem("pem-pass-1", pbe) + "\n", Ct);
        try
        {
            using var client = fixture.Client("contoso", new CertificateFileCredential(path, "pem-pass-1"));

            var incidents = await client.ListIncidentsAsync(new IncidentFilter(), 2, Ct);

            Assert.Equal(2, incidents.Count);
            Assert.Throws<DefenderApiException>(() => fixture.Client("contoso", new CertificateFileCredential(path, "wrong-pass")));
            Assert.Throws<DefenderApiException>(() => fixture.Client("contoso", new CertificateFileCredential(path, null)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Wrong_secret_or_wrong_certificate_is_auth_failure_without_the_secret_in_the_message()
    {
        using var badSecret = fixture.Client("contoso", new ClientSecretCredentialSpec("not-the-secret-42"));
        var other = fixture.Emulator.GetTenant("fabrikam").App;
        using var badCert = fixture.Client("contoso", new CertificateFileCredential(other.CertificatePfxPath, other.CertificatePassphrase));

        var secretError = await Assert.ThrowsAsync<DefenderApiException>(() => badSecret.ListAlertsAsync(new AlertFilter(), 1, Ct));
        var certError = await Assert.ThrowsAsync<DefenderApiException>(() => badCert.ListAlertsAsync(new AlertFilter(), 1, Ct));

        Assert.Equal("auth_failure", secretError.CodeName);
        Assert.Equal("auth_failure", certError.CodeName);
        Assert.DoesNotContain("not-the-secret-42", secretError.Message, StringComparison.Ordinal);
        Assert.Contains("AADSTS7000215", secretError.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("other")]
    public async Task Tls_fails_closed_without_the_pinned_certificate(string trust)
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        using var client = DefenderClient.Create(new DefenderTenantOptions
        {
            TenantId = tenant.TenantId,
            ClientId = tenant.App.ClientId,
            Credential = new ClientSecretCredentialSpec(tenant.App.ClientSecret),
            Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial).WithOverrides(fixture.Emulator.BaseUri, fixture.Emulator.BaseUri, fixture.Emulator.BaseUri),
            // Another certificate (the app's own) is not the emulator's: pinning must not turn into "trust anything".
            TrustedCertificatePemPath = trust == "none" ? null : tenant.App.CertificatePemPath,
        });

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.ListIncidentsAsync(new IncidentFilter(), 1, Ct));

        Assert.Contains(error.Code, new[] { DefenderErrorCode.AuthFailure, DefenderErrorCode.UpstreamError });
        Assert.DoesNotContain(tenant.App.ClientSecret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_passphrase_is_auth_failure()
    {
        var app = fixture.Emulator.GetTenant("contoso").App;
        // The certificate is loaded when the client is created, so the mistake shows before any request.
        var error = Assert.Throws<DefenderApiException>(() => fixture.Client("contoso", new CertificateFileCredential(app.CertificatePfxPath, "bad-pass-987")));
        await Task.CompletedTask;

        Assert.Equal(DefenderErrorCode.AuthFailure, error.Code);
        Assert.DoesNotContain("bad-pass-987", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DefenderCloud.GCC)]
    [InlineData(DefenderCloud.GCCHigh)]
    [InlineData(DefenderCloud.DoD)]
    public async Task A_us_government_cloud_configuration_gets_tokens_for_its_own_scopes(DefenderCloud cloud)
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        var endpoints = DefenderEndpoints.For(cloud);
        using var client = DefenderClient.Create(new DefenderTenantOptions
        {
            TenantId = tenant.TenantId,
            ClientId = tenant.App.ClientId,
            Credential = new ClientSecretCredentialSpec(tenant.App.ClientSecret),
            Endpoints = endpoints.WithOverrides(fixture.Emulator.BaseUri, fixture.Emulator.BaseUri, fixture.Emulator.BaseUri),
            TrustedCertificatePemPath = fixture.Emulator.CertificatePemPath,
        });

        var incidents = await client.ListIncidentsAsync(new IncidentFilter(), 1, Ct);
        var machines = await client.ListMachinesAsync(new MachineFilter(), 1, Ct);

        // The scopes are the cloud's own (not the commercial ones the overrides could have hidden).
        Assert.EndsWith(".us/.default", endpoints.MdeScope, StringComparison.Ordinal);
        Assert.Equal(cloud == DefenderCloud.GCC ? "https://graph.microsoft.com/.default" : cloud == DefenderCloud.GCCHigh ? "https://graph.microsoft.us/.default" : "https://dod-graph.microsoft.us/.default", endpoints.GraphScope);
        Assert.Equal((1, 1), (incidents.Count, machines.Count));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task A_workload_identity_token_file_ending_in_a_newline_works(string ending)
    {
        // Kubernetes projects the token without one, but a file written by hand or by echo ends in a newline.
        var file = Path.Combine(Path.GetTempPath(), $"defender-mcp-federated-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, await fixture.Control.GetFederatedTokenAsync(TimeSpan.FromHours(1), Ct) + ending, Ct);
        try
        {
            using var client = fixture.Client("contoso", new WorkloadIdentityCredentialSpec(file));

            var incidents = await client.ListIncidentsAsync(new IncidentFilter(), 1, Ct);

            Assert.Single(incidents);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_token_without_the_role_is_permission_denied_naming_the_role()
    {
        using var client = fixture.Client("contoso", limited: true);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.ListIncidentsAsync(new IncidentFilter(), 5, Ct));
        var rows = await client.RunHuntingQueryAsync("DeviceInfo | take 1", "P1D", Ct);

        Assert.Equal("permission_denied", error.CodeName);
        Assert.Equal("SecurityIncident.Read.All", error.MissingRole);
        Assert.Single(rows.Rows);
    }

    [Fact]
    public async Task A_429_with_retry_after_1_is_retried_after_at_least_a_second()
    {
        using var client = fixture.Client("contoso");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 429, RetryAfterSeconds = 1, Count = 1, Tenant = "contoso", PathPattern = "/api/machines\\?" }, Ct);
        var before = await fixture.CountAsync("/api/machines", "contoso");
        var watch = Stopwatch.StartNew();

        var machines = await client.ListMachinesAsync(new MachineFilter(), 5, Ct);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {watch.Elapsed}");
        Assert.Equal(5, machines.Count);
        Assert.Equal(before + 2, await fixture.CountAsync("/api/machines", "contoso"));
    }

    [Fact]
    public async Task A_401_fetches_a_really_new_token_past_the_azure_identity_cache()
    {
        using var client = fixture.Client("fabrikam");
        var tenantId = fixture.Emulator.GetTenant("fabrikam").TenantId;
        async Task<int> TokenCallsAsync() => (await fixture.Control.GetRequestsAsync(Ct)).Count(r => r.Path == $"/{tenantId}/oauth2/v2.0/token");
        await client.GetMachineAsync((await client.ListMachinesAsync(new MachineFilter(), 1, Ct))[0].Id, Ct);
        var before = await TokenCallsAsync();
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 401, Count = 1, Tenant = "fabrikam", PathPattern = "/api/machines\\?" }, Ct);

        var machines = await client.ListMachinesAsync(new MachineFilter(), 2, Ct);

        Assert.Equal(2, machines.Count);
        Assert.Equal(before + 1, await TokenCallsAsync());
    }

    [Fact]
    public async Task An_entra_outage_is_upstream_error_naming_entra_and_a_refused_secret_stays_auth_failure()
    {
        // A fresh client (no token cached) while the token endpoint answers 503, through the real Azure.Identity.
        using var client = fixture.Client("contoso");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Count = 0, Tenant = "contoso", PathPattern = "token" }, Ct);
        DefenderApiException outage;
        try
        {
            outage = await Assert.ThrowsAsync<DefenderApiException>(() => client.ListAlertsAsync(new AlertFilter(), 1, Ct));
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(Ct);
        }

        using var badSecret = fixture.Client("contoso", new ClientSecretCredentialSpec("not-the-secret-43"));
        var refused = await Assert.ThrowsAsync<DefenderApiException>(() => badSecret.ListAlertsAsync(new AlertFilter(), 1, Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, outage.Code);
        Assert.Contains("Entra ID, which issues the access token, failed (503)", outage.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("check the tenant id", outage.Message, StringComparison.Ordinal);
        Assert.Equal(DefenderErrorCode.AuthFailure, refused.Code);
        Assert.Contains("check the tenant id", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_cap_fails_at_once_as_rate_limited()
    {
        using var client = fixture.Client("fabrikam");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 429, RetryAfterSeconds = 600, Count = 1, Tenant = "fabrikam", PathPattern = "/alerts_v2\\?" }, Ct);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.ListAlertsAsync(new AlertFilter(), 5, Ct));

        Assert.Equal(DefenderErrorCode.RateLimited, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(600), error.RetryAfter);
    }

    [Fact]
    public async Task A_500_on_a_get_is_retried()
    {
        using var client = fixture.Client("fabrikam");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 500, Count = 1, Tenant = "fabrikam", PathPattern = "/security/incidents\\?" }, Ct);
        var before = await fixture.CountAsync("/security/incidents", "fabrikam");

        var incidents = await client.ListIncidentsAsync(new IncidentFilter(), 3, Ct);

        Assert.Equal(3, incidents.Count);
        Assert.Equal(before + 2, await fixture.CountAsync("/security/incidents", "fabrikam"));
    }

    [Fact]
    public async Task Hunting_is_a_post_that_only_reads_so_a_503_is_retried()
    {
        using var client = fixture.Client("contoso");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Count = 2, Tenant = "contoso", PathPattern = "runHuntingQuery" }, Ct);
        var before = await fixture.CountAsync("/runHuntingQuery", "contoso");

        var result = await client.RunHuntingQueryAsync("DeviceProcessEvents | take 7", "P7D", Ct);

        Assert.Equal(7, result.Rows.Count);
        Assert.Equal(before + 3, await fixture.CountAsync("/runHuntingQuery", "contoso"));
    }

    [Fact]
    public async Task A_write_is_never_retried_after_a_503()
    {
        using var client = fixture.Client("fabrikam");
        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Count = 1, Tenant = "fabrikam", PathPattern = "runHuntingQuery" }, Ct);
        var before = await fixture.CountAsync("/runHuntingQuery", "fabrikam");
        var write = new DefenderRequest(HttpMethod.Post, client.GraphUrl("v1.0/security/runHuntingQuery"), DefenderApi.Graph, OperationKind.Write, "{\"Query\":\"DeviceInfo | take 1\"}", "ThreatHunting.Read.All", RateFamily.Hunting);

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.SendForStatusAsync(write, Ct));

        Assert.Equal(DefenderErrorCode.UpstreamError, error.Code);
        Assert.Equal(before + 1, await fixture.CountAsync("/runHuntingQuery", "fabrikam"));
    }

    [Fact]
    public async Task Paging_follows_next_links_until_the_limit()
    {
        using var client = fixture.Client("contoso", pageSize: 5);
        var before = await fixture.CountAsync("/security/alerts_v2", "contoso");

        var alerts = await client.ListAlertsAsync(new AlertFilter(), 12, Ct);

        Assert.Equal(12, alerts.Count);
        Assert.Equal(12, alerts.Select(a => a.Id).Distinct().Count());
        Assert.Equal(before + 3, await fixture.CountAsync("/security/alerts_v2", "contoso"));
        Assert.True(alerts.Zip(alerts.Skip(1)).All(p => p.First.CreatedDateTime >= p.Second.CreatedDateTime));
    }

    [Fact]
    public async Task A_hunting_syntax_error_is_invalid_input_naming_the_problem()
    {
        using var client = fixture.Client("contoso");

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.RunHuntingQueryAsync("DeviceInfo | mv-apply x = todynamic(MachineGroup) on (take 1)", "P1D", Ct));

        Assert.Equal(DefenderErrorCode.InvalidInput, error.Code);
        Assert.Contains("mv-apply", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_machine_by_name_and_a_missing_one_is_not_found()
    {
        using var client = fixture.Client("contoso");
        var first = (await client.ListMachinesAsync(new MachineFilter { NamePrefix = "ctso-dc" }, 10, Ct))[0];

        var byName = await client.GetMachineAsync(first.ComputerDnsName!, Ct);
        var error = await Assert.ThrowsAsync<DefenderApiException>(() => client.GetMachineAsync("no-such-machine", Ct));

        Assert.Equal(first.Id, byName.Id);
        Assert.Contains("DomainController", byName.MachineTags);
        Assert.Equal(DefenderErrorCode.NotFound, error.Code);
    }
}
