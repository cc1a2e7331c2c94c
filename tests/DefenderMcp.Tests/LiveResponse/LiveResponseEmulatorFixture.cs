namespace DefenderMcp.Tests.LiveResponse;

/// <summary>
/// An emulator for the live-response tests: quick actions, and a per-minute run quota high enough for the whole
/// class (each test's server still has the client's own 10-a-minute limiter).
/// </summary>
public sealed class LiveResponseEmulatorFixture() : LiveResponseEmulatorFixtureBase(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300));
