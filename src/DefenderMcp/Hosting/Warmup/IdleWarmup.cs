using System.Diagnostics;
using DefenderMcp.Client;
using DefenderMcp.Client.Auth;
using DefenderMcp.Client.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting.Warmup;

/// <summary>
/// The idle-time warm-up: once per host, after the session is set up (stdio: the first tools/list answer is written;
/// HTTP: the host has started), on a pool thread, one token exchange against an in-process stub
/// (<see cref="TokenPathWarmup"/>; with a client secret, then with <paramref name="certificateTenant"/>'s certificate when
/// the start-up check has already opened it), a read of the system's trusted roots (<see cref="TrustStoreWarmup"/>) and
/// one HTTPS exchange over an in-memory connection (<see cref="TlsPathWarmup"/>) and one retry pipeline built and
/// dropped (<see cref="DefenderPipeline.PrepareResilience"/>), so the first real call does not pay the first use of
/// Azure.Identity, MSAL, System.Net.Http, TLS, Polly's option checks, their JIT and the trust store; then one full collection,
/// so start-up's survivors are promoted while idle and not in a collection that a call a few seconds in would wait for.
/// No network, no tenant, no audit line, budget, rate limit or cache. Stopped with the host; a failure is one Debug
/// line (its type only) and changes nothing else.
/// </summary>
public sealed class IdleWarmup(bool enabled, CertificateFileCredential? certificateTenant, bool startWithHost, IHostApplicationLifetime lifetime, ILogger<IdleWarmup> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _run = Task.CompletedTask;
    private bool _started;

    /// <summary>Starts the warm-up unless it is turned off, already started, or the host is stopping.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (!enabled || _started || _stopping.IsCancellationRequested)
            {
                return;
            }

            _started = true;
            _run = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (startWithHost)
        {
            lifetime.ApplicationStarted.Register(Start);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task run;
        lock (_gate)
        {
            _stopping.Cancel();
            run = _run;
        }

        await run.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await TokenPathWarmup.RunAsync(cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            TrustStoreWarmup.Run();
            using var certificate = certificateTenant is null ? null : CredentialFactory.LoadedCertificate(certificateTenant);
            if (certificate is not null)
            {
                await TokenPathWarmup.RunAsync(certificate, cancellationToken).ConfigureAwait(false);
            }

            await TlsPathWarmup.RunAsync(cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            DefenderPipeline.PrepareResilience();

            // What start-up left alive (the host, its services, the tool schemas, JSON metadata) is moved to the oldest
            // generation now, while idle, instead of in the first collections that calls trigger a few seconds in.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            logger.LogDebug("warm-up done in {Milliseconds} ms (a token with a secret{Certificate}, the trusted roots, an in-memory HTTPS exchange, a retry pipeline, a full collection)", watch.ElapsedMilliseconds, certificate is null ? string.Empty : " and with a certificate");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("warm-up cancelled after {Milliseconds} ms", watch.ElapsedMilliseconds);
        }
#pragma warning disable CA1031 // Speculative work: any failure is only a first call that stays as slow as without it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The type alone: no message or stack from Azure.Identity or MSAL reaches the log.
            logger.LogDebug("warm-up failed after {Milliseconds} ms ({ExceptionType})", watch.ElapsedMilliseconds, ex.GetType().Name);
        }
    }
}
