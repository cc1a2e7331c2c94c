namespace DefenderMcp.Client.Http;

/// <summary>Whether an operation only reads. Retries after a 5xx or timeout follow this, never the HTTP method.</summary>
public enum OperationKind
{
    /// <summary>Reads (runHuntingQuery is a POST but only reads): retried after 5xx and timeouts.</summary>
    Read,

    /// <summary>Writes: never retried after 5xx or a timeout, because they may have acted.</summary>
    Write,
}
