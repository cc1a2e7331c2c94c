namespace DefenderMcp.Hosting.Stdio;

/// <summary>
/// A request to the client (such as a confirmation) after its standard input ended: no answer could be read, so the
/// request fails at once instead of holding its tool call until a timeout.
/// </summary>
public sealed class ClientInputEndedException() : IOException("The client closed its input, so it cannot answer a request.");
