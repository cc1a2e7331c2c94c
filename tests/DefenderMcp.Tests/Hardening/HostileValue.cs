using System.Text.Json;

namespace DefenderMcp.Tests.Hardening;

/// <summary>
/// One bad (or odd) argument value for a hostile-argument call. <paramref name="MustRefuse"/> is true when the
/// parameter's advertised schema, with the server's documented leniency (numbers for strings and strings for numbers
/// or booleans, a single string for a list, trimming), does not accept the value: then the call must be refused before
/// any request. When false the value is valid, and the tool may answer normally or with any documented error.
/// </summary>
public sealed record HostileValue(string Label, JsonElement Value, bool MustRefuse);
