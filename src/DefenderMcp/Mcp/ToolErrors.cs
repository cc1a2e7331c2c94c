using DefenderMcp.Client;
using DefenderMcp.Policy;

namespace DefenderMcp.Mcp;

/// <summary>Maps any exception to a safe (code, message, retry-after) triple for the model and the audit line.</summary>
public static class ToolErrors
{
    /// <summary>Known failures keep their code and message; anything else becomes a generic internal_error.</summary>
    public static (string Code, string Message, TimeSpan? RetryAfter) Describe(Exception exception) => exception switch
    {
        ToolException t => (t.Code, t.Message, t.RetryAfter),
        PolicyException p => (p.Refusal == PolicyRefusal.Denied ? ErrorCodes.PolicyDenied : ErrorCodes.InvalidInput, p.Message, null),
        DefenderApiException d => (d.CodeName, d.Message, d.RetryAfter),
        FanOutBoundException f => (ErrorCodes.Timeout, f.Message, null),
        OperationCanceledException or TimeoutException => (ErrorCodes.Timeout, "The request to Defender timed out.", null),
        _ => (ErrorCodes.InternalError, "An internal error occurred; the server log has the details.", null),
    };
}
