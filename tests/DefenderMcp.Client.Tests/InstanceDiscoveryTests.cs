using Azure.Core;
using DefenderMcp.Client.Auth;
using DefenderMcp.Client.Http;

namespace DefenderMcp.Client.Tests;

/// <summary>
/// Azure.Identity looks up login.microsoftonline.com for instance discovery even when the authority host is set; on a
/// network without that host every first token waited for DNS to fail. The authority is always known here, so no
/// credential may ask any host but the configured authority.
/// </summary>
public sealed class InstanceDiscoveryTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Theory]
    [InlineData("secret")]
    [InlineData("certificate")]
    public async Task A_token_request_talks_only_to_the_configured_authority(string kind)
    {
        var tenant = fixture.Emulator.GetTenant("contoso");
        TenantCredential credential = kind == "secret"
            ? new ClientSecretCredentialSpec(tenant.App.ClientSecret)
            : new CertificateFileCredential(tenant.App.CertificatePfxPath, tenant.App.CertificatePassphrase);
        var options = new DefenderTenantOptions
        {
            TenantId = tenant.TenantId,
            ClientId = tenant.App.ClientId,
            Credential = credential,
            Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial).WithOverrides(fixture.Emulator.BaseUri, fixture.Emulator.BaseUri, fixture.Emulator.BaseUri),
        };
        using var recorder = new HostRecorder(TlsTrust.CreateHandler(fixture.Emulator.CertificatePemPath));

        var token = await CredentialFactory.Create(options, recorder).GetTokenAsync(
            new TokenRequestContext([options.Endpoints.GraphScope]), TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrEmpty(token.Token));
        Assert.NotEmpty(recorder.Hosts);
        Assert.All(recorder.Hosts, host => Assert.Equal(fixture.Emulator.BaseUri.Authority, host));
    }

    private sealed class HostRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly List<string> _hosts = [];

        public IReadOnlyList<string> Hosts
        {
            get
            {
                lock (_hosts)
                {
                    return [.. _hosts];
                }
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_hosts)
            {
                _hosts.Add(request.RequestUri!.Authority);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
