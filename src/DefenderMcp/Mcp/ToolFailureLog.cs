using DefenderMcp.Client;
using DefenderMcp.Policy;
using Microsoft.Extensions.Logging;

namespace DefenderMcp.Mcp;

/// <summary>
/// What the server log says of a failed call. A failure the server meant (bad input, a policy, tier or confirmation
/// refusal, Defender's own answer) is the caller's or the tenant's doing, and the audit line has it: one line, no stack,
/// so expected refusals do not bury real faults. Anything else is a bug to fix: its type and stack, at error. The message
/// is logged only when it is the server's own words (a ToolException's), never a Defender body.
/// </summary>
internal static class ToolFailureLog
{
    /// <summary>Logs the failure of <paramref name="tool"/>, which answered <paramref name="code"/>.</summary>
    public static void Write(ILogger logger, string tool, Exception error, string code)
    {
        if (error is ToolException && code == ErrorCodes.InternalError)
        {
            // Deliberate, yet the operator's to fix (a state store the tool cannot use): said at warning, still one line.
            logger.LogWarning("Tool {Tool} failed: {ErrorCode}: {Message}", tool, code, WriteTool.OneLine(error.Message));
        }
        else if (error is ToolException or PolicyException)
        {
            logger.LogInformation("Tool {Tool} refused the call: {ErrorCode}", tool, code);
        }
        else if (error is DefenderApiException)
        {
            logger.LogInformation("Tool {Tool}: Defender answered {ErrorCode}", tool, code);
        }
        else if (code == ErrorCodes.InternalError)
        {
            // The type and stack help operators; the message may carry upstream text, so it stays out of the log.
            logger.LogError("Tool {Tool} failed with {ExceptionType}: {StackTrace}", tool, error.GetType().FullName, error.StackTrace);
        }
    }
}
