namespace DefenderMcp.Emulator;

/// <summary>
/// An emulator that is starting. Its address, TLS certificate path and tenants are known at once, so a server can be
/// configured for it and start beside it: its port is already bound and listening (a client that connects early waits
/// in the backlog until the emulator accepts), while its host is built and started on a thread of its own.
/// <see cref="Running"/> completes when it serves, or faults when it cannot start, and then its port is closed.
/// </summary>
public sealed class EmulatorStart : IAsyncDisposable
{
    // How long disposing waits for a start in progress to end before it gives up on it.
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _abort = new();

    internal EmulatorStart(Uri baseUri, string certificatePemPath, IReadOnlyList<EmulatedTenant> tenants, Func<CancellationToken, DefenderEmulator> start)
    {
        BaseUri = baseUri;
        CertificatePemPath = certificatePemPath;
        Tenants = tenants;
        // Not on the thread pool: the start is mostly CPU work, and the server starting beside it needs the pool's threads.
        Running = Task.Factory.StartNew(() => start(_abort.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>https://127.0.0.1:{port}/</summary>
    public Uri BaseUri { get; }

    /// <summary>Where the TLS certificate's PEM (public part) will be, to pin in clients; written before <see cref="Running"/> completes.</summary>
    public string CertificatePemPath { get; }

    /// <summary>The emulated tenants, with their apps' certificate files.</summary>
    public IReadOnlyList<EmulatedTenant> Tenants { get; }

    /// <summary>The emulator once it serves; faults with the reason when it cannot start.</summary>
    public Task<DefenderEmulator> Running { get; }

    /// <summary>Stops the emulator, or aborts its start; a start that failed has already cleaned up after itself.</summary>
    public async ValueTask DisposeAsync()
    {
        await _abort.CancelAsync().ConfigureAwait(false);
        DefenderEmulator? emulator = null;
        try
        {
            emulator = await Running.WaitAsync(StopBound).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A start that failed or was aborted closed its port and removed its folder; one that hangs past the
            // bound is left to the process's exit.
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
        }

        if (Running.IsCompleted)
        {
            _abort.Dispose();
        }
    }
}
