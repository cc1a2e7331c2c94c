using Microsoft.Extensions.Hosting;

namespace DefenderMcp.Areas.SavedHunts;

/// <summary>
/// Resumes the stored hunt schedules when a hosted server starts (stdio, HTTP). One-shot commands such as
/// <c>defender-mcp call</c> build no host, so they read and change schedules without running them.
/// </summary>
public sealed class HuntScheduleResumer(HuntScheduler scheduler) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => scheduler.ResumeAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => scheduler.DisposeAsync().AsTask();
}
