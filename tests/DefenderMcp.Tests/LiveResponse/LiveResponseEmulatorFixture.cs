using DefenderMcp.Emulator;
using DefenderMcp.Emulator.Control;

namespace DefenderMcp.Tests.LiveResponse;

/// <summary>
/// An emulator for the live-response tests: quick actions, and a per-minute run quota high enough for the whole
/// class (each test's server still has the client's own 10-a-minute limiter).
/// </summary>
public sealed class LiveResponseEmulatorFixture : IAsyncLifetime
{
    public DefenderEmulator Emulator { get; private set; } = null!;

    public EmulatorControlClient Control { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { ActionPendingTime = TimeSpan.FromMilliseconds(200), ActionInProgressTime = TimeSpan.FromMilliseconds(300), LiveResponseCallsPerMinute = 1000 },
            TestContext.Current.CancellationToken);
        Control = Emulator.CreateControlClient();
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Emulator.DisposeAsync();
    }
}
