namespace DefenderMcp.Client;

/// <summary>
/// The one exception of the client. Its message is safe to show: it never holds a raw upstream body or a secret. The
/// message is <see cref="WhatHappened"/> followed by <see cref="Advice"/>, kept apart so that a caller decides from data
/// whether to add its own advice, instead of searching the text.
/// </summary>
public sealed class DefenderApiException(
    DefenderErrorCode code,
    string message,
    int? httpStatus = null,
    TimeSpan? retryAfter = null,
    string? missingRole = null,
    Exception? inner = null,
    string? requestId = null,
    string? advice = null) : Exception(advice is null ? message : message + " " + advice, inner)
{
    /// <summary>The error code.</summary>
    public DefenderErrorCode Code { get; } = code;

    /// <summary>The code in snake_case, as tools report it.</summary>
    public string CodeName { get; } = ToSnake(code);

    /// <summary>What went wrong, without advice: the message when <see cref="Advice"/> is null.</summary>
    public string WhatHappened { get; } = message;

    /// <summary>What the client already says to do next (the end of the message), or null when it says nothing, so a caller may add its own.</summary>
    public string? Advice { get; } = advice;

    /// <summary>The HTTP status, when there was a response.</summary>
    public int? HttpStatus { get; } = httpStatus;

    /// <summary>When the caller may retry.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The service's request id (or the client-request-id we sent), for a support ticket; never part of the message.</summary>
    public string? RequestId { get; } = requestId;

    /// <summary>The app role the operation needs, for permission_denied.</summary>
    public string? MissingRole { get; } = missingRole;

    /// <summary>The same error with the service's request id attached.</summary>
    public DefenderApiException WithRequestId(string id) =>
        new(Code, WhatHappened, HttpStatus, RetryAfter, MissingRole, InnerException, id, Advice);

    private static string ToSnake(DefenderErrorCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
