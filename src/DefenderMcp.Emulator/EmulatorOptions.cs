using Microsoft.Extensions.Logging;

namespace DefenderMcp.Emulator;

/// <summary>How to start the emulator.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Tenant keys; contoso and fabrikam have hand-made stories, others are generated.</summary>
    public IReadOnlyList<string> TenantKeys { get; init; } = ["contoso", "fabrikam"];

    /// <summary>Where the TLS and demo app certificates go; default: a new temp folder.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// A private folder where the demo RSA keys are kept between runs (see <see cref="Security.DemoKeys"/>); default:
    /// none, keys are made once per process. <c>--demo</c> uses <see cref="Security.DemoKeys.UserCacheDirectory"/>.
    /// </summary>
    public string? KeyCacheDirectory { get; init; }

    /// <summary>Where to write the TLS certificate PEM; default: under <see cref="DataDirectory"/>.</summary>
    public string? CertificatePemPath { get; init; }

    /// <summary>How long a machine action stays Pending.</summary>
    public TimeSpan ActionPendingTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long it then stays InProgress before Succeeded.</summary>
    public TimeSpan ActionInProgressTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Logging; null logs nothing (never stdout).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
