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
    /// <summary>How long anything waits for the emulator's start before it counts as failed.</summary>
    public static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private readonly EmulatorStart _emulator;

    private DemoEnvironment(EmulatorStart emulator, ServerSettings settings)
    {
        _emulator = emulator;
        Settings = settings;
    }

    /// <summary>Settings that reach the emulator's tenants; their clients wait for the emulator before their first use.</summary>
    public ServerSettings Settings { get; }

    /// <summary>The banner printed on stderr in demo mode.</summary>
    public string Banner =>
        "================================================================\n" +
        " DefenderMcp DEMO MODE: all data comes from the built-in emulator\n" +
        $" at {_emulator.BaseUri} (tenants: {string.Join(", ", Settings.Tenants.Select(t => t.Key))}).\n" +
        " It is synthetic sample data, not a real Microsoft Defender tenant.\n" +
        "================================================================";

    /// <summary>
    /// Starts the emulator beside the caller and builds the demo settings at once (its port, certificate paths and
    /// tenants are known before it serves), so the server's host need not wait for it. Bad options or an unbound port
    /// fail here; a later failure faults <see cref="WaitUntilRunningAsync"/> and every tenant client's first use.
    /// </summary>
    public static DemoEnvironment Start(EmulatorOptions? options)
    {
        var emulator = DefenderEmulator.Launch(options ?? new EmulatorOptions { KeyCacheDirectory = DemoKeys.UserCacheDirectory });
        var settings = SettingsFor(emulator.BaseUri, emulator.CertificatePemPath, emulator.Tenants, ActionTier.LiveResponse, ConfirmationMode.Elicitation)
            with { Upstream = new UpstreamReadiness(emulator.Running, StartBound, "The demo emulator") };
        return new DemoEnvironment(emulator, settings);
    }

    /// <summary>Returns once the emulator serves; throws why it could not start, or <see cref="TimeoutException"/> past <see cref="StartBound"/>.</summary>
    public Task WaitUntilRunningAsync(CancellationToken cancellationToken) =>
        _emulator.Running.WaitAsync(StartBound, cancellationToken);

    /// <summary>Why the emulator could not start, once its start has failed; null while it starts or once it serves.</summary>
    public Exception? StartFailure => _emulator.Running.IsFaulted ? _emulator.Running.Exception?.InnerException : null;

    /// <summary>Settings for every tenant of <paramref name="emulator"/> with the given policy.</summary>
    public static ServerSettings SettingsFor(DefenderEmulator emulator, ActionTier tier, ConfirmationMode confirmation)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return SettingsFor(emulator.BaseUri, emulator.CertificatePemPath, emulator.Tenants, tier, confirmation);
    }

    private static ServerSettings SettingsFor(Uri baseUri, string certificatePemPath, IReadOnlyList<EmulatedTenant> emulated, ActionTier tier, ConfirmationMode confirmation)
    {
        var endpoints = DefenderEndpoints.For(DefenderCloud.Commercial).WithOverrides(baseUri, baseUri, baseUri);
        var tenants = emulated.Select(t => new TenantSettings(
            t.Key,
            new DefenderTenantOptions
            {
                TenantId = t.TenantId,
                ClientId = t.App.ClientId,
                Credential = new CertificateFileCredential(t.App.CertificatePfxPath, t.App.CertificatePassphrase),
                Endpoints = endpoints,
                TrustedCertificatePemPath = certificatePemPath,
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
    public ValueTask DisposeAsync() => _emulator.DisposeAsync();
}
