namespace DefenderMcp.Policy;

/// <summary>
/// A refusal by the tenancy and safety policy. Policy knows nothing of MCP: the tool layer maps this to its error
/// codes (<see cref="PolicyRefusal.InvalidInput"/> to <c>invalid_input</c>, <see cref="PolicyRefusal.Denied"/> to
/// <c>policy_denied</c>), so the message reaches the model as it is written here.
/// </summary>
/// <param name="refusal">Why.</param>
/// <param name="message">A clear message; never an unknown tenant key or a secret.</param>
public sealed class PolicyException(PolicyRefusal refusal, string message) : Exception(message)
{
    /// <summary>Why.</summary>
    public PolicyRefusal Refusal { get; } = refusal;
}
