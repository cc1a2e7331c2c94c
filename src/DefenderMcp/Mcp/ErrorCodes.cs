namespace DefenderMcp.Mcp;

/// <summary>The error codes of DESIGN.md section 8, as they appear in tool errors and the audit trail.</summary>
public static class ErrorCodes
{
#pragma warning disable CS1591 // Each name is its own documentation.
    public const string InvalidInput = "invalid_input";

    /// <summary>The KQL guard refused the query before any request (management command, external data ...).</summary>
    public const string KqlRefused = "kql_refused";

    /// <summary>The hunting service rejected the query (unknown table or column, syntax); the message carries suggestions.</summary>
    public const string QueryFailed = "query_failed";
    public const string NotFound = "not_found";

    /// <summary>The object exists but is not ready yet (a package still being collected); ask again once it is.</summary>
    public const string NotReady = "not_ready";
    public const string AuthFailure = "auth_failure";
    public const string PermissionDenied = "permission_denied";

    /// <summary>Defender's 403 DisabledFeature: the tenant has not enabled the feature; a role would not help.</summary>
    public const string FeatureDisabled = "feature_disabled";

    /// <summary>Defender's 403 DisallowedOperation: refused for the reason the service gives.</summary>
    public const string OperationDisallowed = "operation_disallowed";

    /// <summary>An action of the same kind is already in progress, or an object with the same id exists.</summary>
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";
    public const string UpstreamError = "upstream_error";
    public const string Timeout = "timeout";
    public const string PolicyDenied = "policy_denied";
    public const string ConfirmationRequired = "confirmation_required";
    public const string CancelledByUser = "cancelled_by_user";
    public const string InternalError = "internal_error";

    /// <summary>A tenant's result was left out of a fan-out that reached its byte budget; ask for that tenant alone.</summary>
    public const string ResultTooLarge = "result_too_large";
#pragma warning restore CS1591
}
