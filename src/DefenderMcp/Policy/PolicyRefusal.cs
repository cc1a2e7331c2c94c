namespace DefenderMcp.Policy;

/// <summary>Why the policy refused a call; the tool layer turns it into its error code.</summary>
public enum PolicyRefusal
{
    /// <summary>The call itself is malformed (an unknown tenant key, several tenants where one is allowed).</summary>
    InvalidInput,

    /// <summary>The call is well formed but not allowed (a tenant outside the caller's grant).</summary>
    Denied,
}
