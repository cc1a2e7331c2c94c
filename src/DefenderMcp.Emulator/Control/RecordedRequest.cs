namespace DefenderMcp.Emulator.Control;

/// <summary>One request the emulator served (control-plane calls excluded).</summary>
/// <param name="Timestamp">When it was served.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path.</param>
/// <param name="Query">Query string, as sent.</param>
/// <param name="Tenant">The emulated tenant it reached, if any.</param>
/// <param name="Status">Response status.</param>
/// <param name="AppId">The calling app, from its token.</param>
/// <param name="Connection">The transport connection that carried it (shows whether clients share connections).</param>
public sealed record RecordedRequest(DateTimeOffset Timestamp, string Method, string Path, string Query, string? Tenant, int Status, string? AppId, string? Connection = null);
