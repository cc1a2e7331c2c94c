using DefenderMcp.Hosting.Warmup;
using DefenderMcp.Tests.Support;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DefenderMcp.Tests.Warmup;

public sealed class IdleWarmupTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Started_twice_it_runs_once_and_says_so_at_debug()
    {
        var logger = new LinesLogger<IdleWarmup>();
        using var warmup = new IdleWarmup(enabled: true, certificateTenant: null, startWithHost: false, Lifetime(), logger);

        warmup.Start();
        warmup.Start();
        var line = await logger.First.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);
        await warmup.StopAsync(TestContext.Current.CancellationToken);

        Assert.Matches("^Debug warm-up done in [0-9]+ ms \\(a token with a secret, the trusted roots, an in-memory HTTPS exchange, a retry pipeline, a full collection\\)$", line);
        Assert.Single(logger.Lines);
    }

    [Fact]
    public async Task Turned_off_or_stopped_first_it_never_runs()
    {
        var off = new LinesLogger<IdleWarmup>();
        var stopped = new LinesLogger<IdleWarmup>();
        using var disabled = new IdleWarmup(enabled: false, certificateTenant: null, startWithHost: false, Lifetime(), off);
        using var late = new IdleWarmup(enabled: true, certificateTenant: null, startWithHost: false, Lifetime(), stopped);

        disabled.Start();
        await late.StopAsync(TestContext.Current.CancellationToken);
        late.Start();
        await disabled.StopAsync(TestContext.Current.CancellationToken);

        Assert.Empty(off.Lines);
        Assert.Empty(stopped.Lines);
    }

    [Fact]
    public async Task With_the_host_it_starts_once_the_host_has_started()
    {
        var logger = new LinesLogger<IdleWarmup>();
        var lifetime = Lifetime();
        using var warmup = new IdleWarmup(enabled: true, certificateTenant: null, startWithHost: true, lifetime, logger);

        await warmup.StartAsync(TestContext.Current.CancellationToken);
        Assert.Empty(logger.Lines);
        lifetime.NotifyStarted();
        var line = await logger.First.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);
        await warmup.StopAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith("Debug warm-up done in ", line, StringComparison.Ordinal);
    }

    private static ApplicationLifetime Lifetime() => new(NullLogger<ApplicationLifetime>.Instance);
}
