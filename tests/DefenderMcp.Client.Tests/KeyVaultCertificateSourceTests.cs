using DefenderMcp.Client.Auth;
using DefenderMcp.Client.Http;
using DefenderMcp.Client.Tests.Fakes;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Client.Tests;

/// <summary>
/// The Key Vault certificate source against the emulator's vault, read with workload identity (a federated token
/// file): fetched once, kept while fresh, fetched again when due, and kept through a failed refresh while valid.
/// </summary>
public sealed class KeyVaultCertificateSourceTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("defender-mcp-kv-").FullName;

    [Fact]
    public async Task The_certificate_is_fetched_once_refreshed_when_due_and_kept_through_a_failed_refresh()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = fixture.Emulator.GetTenant("contoso");
        var tokenFile = Path.Combine(_folder, "token");
        await File.WriteAllTextAsync(tokenFile, await fixture.Control.GetFederatedTokenAsync(TimeSpan.FromHours(2), ct), ct);
        var spec = new KeyVaultCertificateCredentialSpec(new Uri(fixture.Emulator.BaseUri, "secrets/contoso-app-cert"), tokenFile);
        var options = new DefenderTenantOptions
        {
            TenantId = tenant.TenantId,
            ClientId = tenant.App.ClientId,
            Credential = spec,
            Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial).WithOverrides(fixture.Emulator.BaseUri, fixture.Emulator.BaseUri, fixture.Emulator.BaseUri),
            TrustedCertificatePemPath = fixture.Emulator.CertificatePemPath,
        };
        var time = new InstantTime { Now = DateTimeOffset.UtcNow };
        var source = KeyVaultCertificateSource.CreateForTests(spec, options, TlsTrust.CreateHandler(fixture.Emulator.CertificatePemPath), time);

        var first = await source.GetAsync(ct);
        Assert.True(first.HasPrivateKey);
        Assert.Equal(tenant.App.CertificateThumbprint, first.Thumbprint, ignoreCase: true);
        Assert.Equal(1, await SecretReadsAsync());

        time.Now += TimeSpan.FromMinutes(30);
        Assert.Same(first, await source.GetAsync(ct));
        Assert.Equal(1, await SecretReadsAsync());

        time.Now += KeyVaultCertificateSource.RefreshInterval;
        var second = await source.GetAsync(ct);
        Assert.NotSame(first, second);
        Assert.Equal(2, await SecretReadsAsync());

        await fixture.Control.AddFaultAsync(new FaultSpec { Status = 503, Count = 0, PathPattern = "^/secrets/" }, ct);
        try
        {
            time.Now += KeyVaultCertificateSource.RefreshInterval;
            Assert.Same(second, await source.GetAsync(ct));
            Assert.True(await SecretReadsAsync() > 2);
        }
        finally
        {
            await fixture.Control.ClearFaultsAsync(ct);
        }
    }

    [Fact]
    public async Task A_refusing_vault_is_an_auth_failure_naming_the_uri()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = fixture.Emulator.GetTenant("contoso");
        var tokenFile = Path.Combine(_folder, "token2");
        await File.WriteAllTextAsync(tokenFile, await fixture.Control.GetFederatedTokenAsync(TimeSpan.FromHours(2), ct), ct);
        var uri = new Uri(fixture.Emulator.BaseUri, "secrets/locked-cert");
        var spec = new KeyVaultCertificateCredentialSpec(uri, tokenFile);
        var options = new DefenderTenantOptions
        {
            TenantId = tenant.TenantId,
            ClientId = tenant.App.ClientId,
            Credential = spec,
            Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial).WithOverrides(fixture.Emulator.BaseUri, fixture.Emulator.BaseUri, fixture.Emulator.BaseUri),
            TrustedCertificatePemPath = fixture.Emulator.CertificatePemPath,
        };
        var source = KeyVaultCertificateSource.CreateForTests(spec, options, TlsTrust.CreateHandler(fixture.Emulator.CertificatePemPath), TimeProvider.System);

        var ex = await Assert.ThrowsAsync<DefenderApiException>(() => source.GetAsync(ct));
        Assert.Equal(DefenderErrorCode.AuthFailure, ex.Code);
        Assert.Equal(403, ex.HttpStatus);
        Assert.StartsWith(uri.AbsoluteUri + ": Key Vault refused access", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<int> SecretReadsAsync() =>
        (await fixture.Control.GetRequestsAsync(TestContext.Current.CancellationToken)).Count(r => r.Path == "/secrets/contoso-app-cert" && r.Status is 200 or 503);
}
