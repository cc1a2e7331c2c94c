using DefenderMcp.Emulator;

namespace DefenderMcp.Tests.Golden;

/// <summary>An emulator whose machine actions stay Pending for the whole test run, so previews that name an action's status are stable.</summary>
public sealed class PendingActionsEmulatorFixture : IAsyncLifetime
{
    public DefenderEmulator Emulator { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Emulator = await DefenderEmulator.StartAsync(
            new EmulatorOptions { ActionPendingTime = TimeSpan.FromHours(1), ActionInProgressTime = TimeSpan.FromHours(1) },
            TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
