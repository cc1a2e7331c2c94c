namespace DefenderMcp.Emulator.Tests;

/// <summary>An emulator whose machine actions finish at once (Pending and InProgress take no time).</summary>
public sealed class InstantActionsFixture : EmulatorFixture
{
    protected override EmulatorOptions Options => new() { ActionPendingTime = TimeSpan.Zero, ActionInProgressTime = TimeSpan.Zero };
}
