namespace DefenderMcp.Client;

/// <summary>Everything needed to reach one tenant.</summary>
public sealed record DefenderTenantOptions
{
    /// <summary>Tenant GUID or verified domain.</summary>
    public required string TenantId { get; init; }

    /// <summary>The server's name for this tenant (its configuration key), carried on telemetry spans; never a secret.</summary>
    public string? TenantKey { get; init; }

    /// <summary>App (client) id; empty for system-assigned managed identity.</summary>
    public required string ClientId { get; init; }

    /// <summary>How the tenant authenticates.</summary>
    public required TenantCredential Credential { get; init; }

    /// <summary>Cloud endpoints, with any overrides.</summary>
    public required DefenderEndpoints Endpoints { get; init; }

    /// <summary>A PEM certificate trusted in addition to the system store (emulator, TLS-inspecting proxy).</summary>
    public string? TrustedCertificatePemPath { get; init; }

    /// <summary>Items asked per page of a Graph list (<c>$top</c>); the client follows <c>@odata.nextLink</c> for more.</summary>
    public int PageSize { get; init; } = 50;

    /// <summary>Items asked per page of an MDE list (<c>$top</c>, at most 10,000); further pages use <c>$skip</c>.</summary>
    public int MdePageSize { get; init; } = 10_000;

    /// <summary>The client's own per-tenant quota limiter (documented quotas by default).</summary>
    public DefenderRateLimits RateLimits { get; init; } = new();

    /// <summary>Retry and timeout bounds.</summary>
    public DefenderRetryOptions Retry { get; init; } = new();
}
