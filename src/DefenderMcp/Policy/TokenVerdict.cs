namespace DefenderMcp.Policy;

/// <summary>
/// Why a confirmation token was or was not accepted. Only a token whose MAC matches this exact call can be found
/// expired or spent, so telling those apart reveals nothing to anyone who could not already use the token, and it
/// tells the analyst whether an earlier call may already have acted.
/// </summary>
public enum TokenVerdict
{
    /// <summary>Issued for this call, unexpired and unused: it is now spent.</summary>
    Accepted,

    /// <summary>Malformed, forged, or issued for another tool, tenant, caller or arguments.</summary>
    NotThisCall,

    /// <summary>Issued for this call, but past its lifetime.</summary>
    Expired,

    /// <summary>Issued for this call and already used by an earlier one.</summary>
    Spent,
}
