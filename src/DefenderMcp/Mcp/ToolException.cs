namespace DefenderMcp.Mcp;

/// <summary>A failure the model can act on, returned as a tool error with a DESIGN.md section 8 code.</summary>
/// <param name="code">Snake-case error code, e.g. <c>invalid_input</c>.</param>
/// <param name="message">A clear message; never contains secrets, raw upstream bodies or unknown tenant keys.</param>
/// <param name="retryAfter">When the caller may retry, for <c>rate_limited</c> and <c>policy_denied</c>.</param>
public sealed class ToolException(string code, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    /// <summary>Snake-case error code.</summary>
    public string Code { get; } = code;

    /// <summary>When the caller may retry.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>An <c>invalid_input</c> error.</summary>
    public static ToolException InvalidInput(string message) => new(ErrorCodes.InvalidInput, message);
}
