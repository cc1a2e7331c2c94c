using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Tests.LiveResponse;

/// <summary>An emulator for a live-response test class; each fixture says only how long its actions take.</summary>
public abstract class LiveResponseEmulatorFixtureBase(TimeSpan pending, TimeSpan inProgress) : IAsyncLifetime
{
    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { ActionPendingTime = pending, ActionInProgressTime = inProgress, LiveResponseCallsPerMinute = 1000 },
            TestContext.Current.CancellationToken);
        Control = Emulator.CreateControlClient();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Emulator.DisposeAsync();
    }
}
