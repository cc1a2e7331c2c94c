using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Tests.LiveResponse;

/// <summary>
/// An emulator whose live-response sessions stay pending for minutes, so a test of the one-session-per-device rule
/// cannot see the first session finish before the second call, however loaded the machine is.
/// </summary>
public sealed class SlowLiveResponseEmulatorFixture : IAsyncLifetime
{
    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { ActionPendingTime = TimeSpan.FromMinutes(5), ActionInProgressTime = TimeSpan.FromMinutes(5), LiveResponseCallsPerMinute = 1000 },
            TestContext.Current.CancellationToken);
        Control = Emulator.CreateControlClient();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Emulator.DisposeAsync();
    }
}
