namespace DefenderMcp.Client;

/// <summary>The two APIs a tenant's client calls.</summary>
public enum DefenderApi
{
    /// <summary>Microsoft Graph (security).</summary>
    Graph,

    /// <summary>Defender for Endpoint.</summary>
    Mde,
}
