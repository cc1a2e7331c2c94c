using ModelContextProtocol;

namespace DefenderMcp.Mcp;

/// <summary>
/// A protocol request (a <c>resources/read</c>) that needs the shared store while it does not answer (Redis down): the
/// standard server-side error (<c>-32603</c>, not <c>-32002</c>: the resource may well be there) with a message that
/// says to try again and names no host or secret. It is a passing condition, not a bug of the server's, so the log
/// keeps the SDK's one warning line for it and drops its error-level entry (see <c>ServerConsoleLogger</c>).
/// </summary>
public sealed class StoreUnavailableException : McpProtocolException
{
    /// <summary>Creates the error with a user-facing message (the store's own, which names no host or secret).</summary>
    public StoreUnavailableException(string message)
        : base(message, McpErrorCode.InternalError)
    {
    }

    /// <summary>Creates the error with a generic message.</summary>
    public StoreUnavailableException()
        : this("The shared state store cannot be reached now; try again in a moment.")
    {
    }

    /// <summary>Creates the error with a user-facing message and its cause (kept for debugging, not shown).</summary>
    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException, McpErrorCode.InternalError)
    {
    }
}
