namespace DefenderMcp.Client;

/// <summary>The error codes of DESIGN.md section 8.</summary>
public enum DefenderErrorCode
{
    /// <summary>The request was refused as invalid.</summary>
    InvalidInput,

    /// <summary>The object does not exist.</summary>
    NotFound,

    /// <summary>Authentication failed.</summary>
    AuthFailure,

    /// <summary>The token lacks a needed app role.</summary>
    PermissionDenied,

    /// <summary>Throttled.</summary>
    RateLimited,

    /// <summary>The service failed or answered badly.</summary>
    UpstreamError,

    /// <summary>The request timed out.</summary>
    Timeout,

    /// <summary>Refused by policy.</summary>
    PolicyDenied,

    /// <summary>A confirmation is needed.</summary>
    ConfirmationRequired,

    /// <summary>The user declined.</summary>
    CancelledByUser,

    /// <summary>A bug.</summary>
    InternalError,
}
