namespace DefenderMcp.Mcp.Results;

/// <summary>An indicator as Defender stored it.</summary>
/// <param name="Id">Indicator id (for remove_indicators).</param>
/// <param name="Value">The hash, IP, domain, URL or thumbprint.</param>
/// <param name="Type">Its type.</param>
/// <param name="Action">What Defender does on a match.</param>
/// <param name="ExpiresAt">When it expires, if it does.</param>
public sealed record IndicatorResult(string Id, string? Value, string? Type, string? Action, DateTimeOffset? ExpiresAt);
