namespace DefenderMcp.Audit;

/// <summary>The <c>caller_refused</c> audit event and the reasons it gives: fixed words a SIEM rule can match.</summary>
public static class CallerRefusals
{
    /// <summary>The audit event.</summary>
    public const string Event = "caller_refused";

    /// <summary>An authenticated caller that no rule of the callers file gives any tenant.</summary>
    public const string NoGrant = "no_grant";

    /// <summary>An authenticated caller that asked for a tenant outside its grant.</summary>
    public const string TenantNotGranted = "tenant_not_granted";

    /// <summary>An authenticated caller that asked for a tool above the tier its grant gives it.</summary>
    public const string TierNotGranted = "tier_not_granted";

    /// <summary>A bearer credential that is no known API key.</summary>
    public const string UnknownApiKey = "unknown_api_key";

    /// <summary>An Entra bearer token that failed validation.</summary>
    public const string InvalidBearer = "invalid_bearer";
}
