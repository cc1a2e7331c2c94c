namespace DefenderMcp.State;

/// <summary>
/// The state store cannot be used (unreadable or corrupt file, wrong permissions, newer schema). The message says what
/// is wrong and what to do, and names no secret, so it can be shown to a user and logged as is.
/// </summary>
public sealed class StateStoreException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public StateStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and its cause (kept for debugging, not shown).</summary>
    public StateStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when the store did not answer (Redis down or out of reach): unlike a corrupt or misconfigured store, trying
    /// again in a moment may work, so a read reports it as <c>upstream_error</c> with a wait, not as <c>internal_error</c>.
    /// </summary>
    public bool Unreachable { get; init; }

    /// <summary>Creates the exception with a generic message.</summary>
    public StateStoreException()
        : base("The state store cannot be used.")
    {
    }
}
