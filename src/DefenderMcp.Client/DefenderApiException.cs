namespace DefenderMcp.Client;

/// <summary>The one exception of the client. Its message is safe to show: it never holds a raw upstream body or a secret.</summary>
public sealed class DefenderApiException(
    DefenderErrorCode code,
    string message,
    int? httpStatus = null,
    TimeSpan? retryAfter = null,
    string? missingRole = null,
    Exception? inner = null,
    string? requestId = null) : Exception(message, inner)
{
    /// <summary>The error code.</summary>
    public DefenderErrorCode Code { get; } = code;

    /// <summary>The code in snake_case, as tools report it.</summary>
    public string CodeName { get; } = ToSnake(code);

    /// <summary>The HTTP status, when there was a response.</summary>
    public int? HttpStatus { get; } = httpStatus;

    /// <summary>When the caller may retry.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The service's request id (or the client-request-id we sent), for a support ticket; never part of the message.</summary>
    public string? RequestId { get; } = requestId;

    /// <summary>The app role the operation needs, for permission_denied.</summary>
    public string? MissingRole { get; } = missingRole;

    private static string ToSnake(DefenderErrorCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
