using DefenderMcp.Client;
using DefenderMcp.Configuration;
using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Security;

namespace DefenderMcp.Hosting;

/// <summary>
/// <c>--demo</c>: the built-in emulator on a random loopback port, with tenants contoso (default) and fabrikam, and
/// settings that point the server at it. Every tier is enabled so response actions can be tried.
/// </summary>
public sealed class DemoEnvironment : IAsyncDisposable
{
    private DemoEnvironment(DefenderEmulator emulator, ServerSettings settings)
    {
        Emulator = emulator;
        Settings = settings;
    }

    /// <summary>The running emulator.</summary>
    public DefenderEmulator Emulator { get; }

    /// <summary>Settings that reach the emulator's tenants.</summary>
    public ServerSettings Settings { get; }

    /// <summary>The banner printed on stderr in demo mode.</summary>
    public string Banner =>
        "================================================================\n" +
        " DefenderMcp DEMO MODE: all data comes from the built-in emulator\n" +
        $" at {Emulator.BaseUri} (tenants: {string.Join(", ", Settings.Tenants.Select(t => t.Key))}).\n" +
        " It is synthetic sample data, not a real Microsoft Defender tenant.\n" +
        "================================================================";

    /// <summary>Starts the emulator and builds the demo settings.</summary>
    public static async Task<DemoEnvironment> StartAsync(EmulatorOptions? options, CancellationToken cancellationToken)
    {
        var emulator = await DefenderEmulator.StartAsync(options ?? new EmulatorOptions { KeyCacheDirectory = DemoKeys.UserCacheDirectory }, cancellationToken).ConfigureAwait(false);
        return new DemoEnvironment(emulator, SettingsFor(emulator, ActionTier.LiveResponse, ConfirmationMode.Elicitation));
    }

    /// <summary>Settings for every tenant of <paramref name="emulator"/> with the given policy.</summary>
    public static ServerSettings SettingsFor(DefenderEmulator emulator, ActionTier tier, ConfirmationMode confirmation)
    {
        var endpoints = DefenderEndpoints.For(DefenderCloud.Commercial).WithOverrides(emulator.BaseUri, emulator.BaseUri, emulator.BaseUri);
        var tenants = emulator.Tenants.Select(t => new TenantSettings(
            t.Key,
            new DefenderTenantOptions
            {
                TenantId = t.TenantId,
                ClientId = t.App.ClientId,
                Credential = new CertificateFileCredential(t.App.CertificatePfxPath, t.App.CertificatePassphrase),
                Endpoints = endpoints,
                TrustedCertificatePemPath = emulator.CertificatePemPath,
            },
            new TenantPolicy(tier, confirmation, ["tag:DomainController"], 10, false)
            {
                // The directory's break-glass account by glob, and its administrators through a nested group.
                ProtectedUsers = ["breakglass*@*", DefenderMcp.Emulator.Data.UserDirectory.PrivilegedAccessGroupId(t.Domain)],
            })).ToList();
        return new ServerSettings
        {
            Tenants = tenants,
            DefaultTenant = tenants[0].Key,
            IsDemo = true,
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
