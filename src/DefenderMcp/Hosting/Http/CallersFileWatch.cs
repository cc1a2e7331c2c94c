using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Hosting.Http;

/// <summary>
/// The callers file is read once, at start. An operator who edits it (to take a customer away from an analyst) would
/// otherwise see nothing change and hear nothing either, since the keys file next to it reloads by itself; this says,
/// once per change, that the server keeps the rules it started with until it restarts.
/// </summary>
public sealed class CallersFileWatch(string path, ILogger<CallersFileWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = WriteTime();
        var warned = started;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var now = WriteTime();
                if (now != started && now != warned)
                {
                    warned = now;
                    logger.LogWarning("The callers file {Path} changed on disk; the server keeps the rules it read at start until it restarts. Check the file with defender-mcp doctor, then restart the server.", path);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    // A file gone or out of reach reads as a change too: the rules in force are still the ones read at start.
    private DateTime WriteTime()
    {
        try
        {
            return File.GetLastWriteTimeUtc(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DateTime.MinValue;
        }
    }
}
