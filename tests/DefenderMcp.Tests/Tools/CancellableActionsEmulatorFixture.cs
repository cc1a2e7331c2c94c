using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Tests.Tools;

/// <summary>
/// An emulator whose machine actions stay pending for seconds, so a case can still cancel the action it just started
/// when the machine is busy (the shared fixture's 200 ms window is too tight under a loaded test run).
/// </summary>
public sealed class CancellableActionsEmulatorFixture : IAsyncLifetime
{
    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { ActionPendingTime = TimeSpan.FromSeconds(3), ActionInProgressTime = TimeSpan.FromMilliseconds(300) },
            TestContext.Current.CancellationToken);
        Control = Emulator.CreateControlClient();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Emulator.DisposeAsync();
    }
}
