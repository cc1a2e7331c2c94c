namespace DefenderMcp.Emulator.Control;

/// <summary>One request the emulator served (control-plane calls excluded).</summary>
public sealed record RecordedRequest(DateTimeOffset Timestamp, string Method, string Path, string Query, string? Tenant, int Status, string? AppId);
