namespace DefenderMcp.Emulator;

/// <summary>An emulated tenant and its two apps: one with every role, one with only two read roles.</summary>
public sealed record EmulatedTenant(string Key, string TenantId, string DisplayName, string Domain, EmulatedApp App, EmulatedApp LimitedApp);
