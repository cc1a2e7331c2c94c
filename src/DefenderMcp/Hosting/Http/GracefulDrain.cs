using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// SIGTERM handling: before anything stops, new sessions are refused (503) and <c>/readyz</c> fails, then the calls in
/// flight (open POSTs) get up to the deadline to finish. Only after that do the SDK close the sessions and Kestrel stop,
/// so a slow tool call completes and the process exits 0.
/// </summary>
public sealed class GracefulDrain(TimeSpan deadline, ILogger<GracefulDrain> logger) : IHostedLifecycleService
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private volatile bool _draining;

    /// <summary>True once shutdown began.</summary>
    public bool Draining => _draining;

    /// <summary>The middleware: counts POSTs in flight and refuses new sessions while draining.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (_draining && SessionCap.OpensSession(context.Request))
        {
            context.Response.Headers.RetryAfter = "5";
            await HttpErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, -32000, "The server is shutting down; connect again shortly.").ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _inFlight);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && _draining)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var inFlight = Volatile.Read(ref _inFlight);
        if (inFlight == 0)
        {
            return;
        }

        logger.LogWarning("Shutting down: waiting up to {Seconds} s for {Count} call(s) in flight", (int)deadline.TotalSeconds, inFlight);
        try
        {
            await _idle.Task.WaitAsync(deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            logger.LogWarning("Shutdown deadline reached with {Count} call(s) still in flight", Volatile.Read(ref _inFlight));
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
