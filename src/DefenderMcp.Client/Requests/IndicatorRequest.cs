namespace DefenderMcp.Client;

/// <summary>A custom indicator to submit (MDE <c>POST /api/indicators</c>; fields are camelCase on the wire).</summary>
public sealed record IndicatorRequest
{
    /// <summary>The hash, IP, domain, URL or thumbprint.</summary>
    public required string IndicatorValue { get; init; }

    /// <summary>FileSha1, FileSha256, FileMd5, CertificateThumbprint, IpAddress, DomainName, Url.</summary>
    public required string IndicatorType { get; init; }

    /// <summary>Allowed, Audit, Block, BlockAndRemediate, Warn (Alert and AlertAndBlock are retired and refused).</summary>
    public required string Action { get; init; }

    /// <summary>Alert title.</summary>
    public required string Title { get; init; }

    /// <summary>Description.</summary>
    public required string Description { get; init; }

    /// <summary>The application tied to the indicator (create only).</summary>
    public string? Application { get; init; }

    /// <summary>When the indicator expires.</summary>
    public DateTimeOffset? ExpirationTime { get; init; }

    /// <summary>Informational, Low, Medium, High.</summary>
    public string? Severity { get; init; }

    /// <summary>Recommended actions text.</summary>
    public string? RecommendedActions { get; init; }

    /// <summary>Device groups the indicator applies to (all when null).</summary>
    public IReadOnlyList<string>? RbacGroupNames { get; init; }

    /// <summary>Custom notification URL (Block/Warn URL indicators).</summary>
    public string? EducateUrl { get; init; }

    /// <summary>Whether a match raises an alert (required true for Audit).</summary>
    public bool? GenerateAlert { get; init; }
}
