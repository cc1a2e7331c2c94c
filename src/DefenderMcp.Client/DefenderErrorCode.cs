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

    /// <summary>
    /// 403 <c>DisabledFeature</c>: the tenant has not turned the feature on (a portal setting, not a role), so
    /// granting roles would not help.
    /// </summary>
    FeatureDisabled,

    /// <summary>403 <c>DisallowedOperation</c>: the service refuses this operation here, for the reason it states.</summary>
    OperationDisallowed,

    /// <summary>
    /// The request clashes with what exists: an action of the same kind already in progress on the device (MDE 400),
    /// or an object with the same id (409). Resending will not help until the other finishes or the id changes.
    /// </summary>
    Conflict,

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
