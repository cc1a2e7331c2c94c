using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Client.Tests;

public sealed class EmulatorFixture : IAsyncLifetime
{
    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await DefenderEmulator.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);
        Control = Emulator.CreateControlClient();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Emulator.DisposeAsync();
    }

    public DefenderClient Client(string tenantKey, TenantCredential? credential = null, bool limited = false, int pageSize = 50, int mdePageSize = 10_000)
    {
        var tenant = Emulator.GetTenant(tenantKey);
        var app = limited ? tenant.LimitedApp : tenant.App;
        return DefenderClient.Create(new DefenderTenantOptions
        {
            TenantId = tenant.TenantId,
            ClientId = app.ClientId,
            Credential = credential ?? new ClientSecretCredentialSpec(app.ClientSecret),
            Endpoints = DefenderEndpoints.For(DefenderCloud.Commercial).WithOverrides(Emulator.BaseUri, Emulator.BaseUri, Emulator.BaseUri),
            TrustedCertificatePemPath = Emulator.CertificatePemPath,
            PageSize = pageSize,
            MdePageSize = mdePageSize,
            Retry = new DefenderRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(20) },
        });
    }

    public async Task<int> CountAsync(string pathSuffix, string tenantKey) =>
        (await Control.GetRequestsAsync(TestContext.Current.CancellationToken)).Count(r => r.Path.EndsWith(pathSuffix, StringComparison.Ordinal) && r.Tenant == tenantKey);
}
