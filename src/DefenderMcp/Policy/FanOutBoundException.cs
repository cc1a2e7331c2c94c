namespace DefenderMcp.Policy;

/// <summary>
/// A tenant of a fan-out not answered when the whole call's time bound ran out (<see cref="TenantRunner"/>). Policy
/// knows nothing of MCP: the tool layer reads it as <c>timeout</c> with this message.
/// </summary>
/// <param name="message">What happened to the tenant and what to do; names no tenant.</param>
public sealed class FanOutBoundException(string message) : TimeoutException(message);
