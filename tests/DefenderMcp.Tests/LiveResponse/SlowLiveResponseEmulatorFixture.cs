namespace DefenderMcp.Tests.LiveResponse;

/// <summary>
/// An emulator whose live-response sessions stay pending for minutes, so a test of the one-session-per-device rule
/// cannot see the first session finish before the second call, however loaded the machine is.
/// </summary>
public sealed class SlowLiveResponseEmulatorFixture() : LiveResponseEmulatorFixtureBase(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
