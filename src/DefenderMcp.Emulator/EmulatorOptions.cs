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

    /// <summary>Live-response runs a tenant may start per minute (documented: 10; more is a 429).</summary>
    public int LiveResponseCallsPerMinute { get; init; } = 10;

    /// <summary>Live-response sessions a tenant may have running at once (documented: 25; more is a 429).</summary>
    public int LiveResponseSessions { get; init; } = 25;

    /// <summary>How long a live-response result link stays valid (documented: 30 minutes).</summary>
    public TimeSpan LiveResponseLinkLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Logging; null logs nothing (never stdout).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
