using DefenderMcp.Emulator.Control;
using DefenderMcp.Emulator;

namespace DefenderMcp.Tests.Support;

/// <summary>One emulator for a test class. Classes that inject faults get their own, so tests stay parallel-safe.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { ActionPendingTime = TimeSpan.FromMilliseconds(200), ActionInProgressTime = TimeSpan.FromMilliseconds(300) },
            TestContext.Current.CancellationToken);
        Control = Emulator.CreateControlClient();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Emulator.DisposeAsync();
    }
}
