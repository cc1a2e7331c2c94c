namespace DefenderMcp.Areas.Indicators;

/// <summary>A custom indicator as reported to the model.</summary>
/// <param name="Id">Indicator id (for remove_indicators).</param>
/// <param name="Value">The hash, IP, domain, URL or thumbprint.</param>
/// <param name="Type">Its type.</param>
/// <param name="Action">What Defender does on a match.</param>
/// <param name="Severity">Alert severity.</param>
/// <param name="Title">Title.</param>
/// <param name="Description">Description.</param>
/// <param name="ExpiresAt">When it expires, if it does.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="GenerateAlert">Whether a match raises an alert.</param>
public sealed record IndicatorOutput(
    string Id,
    string? Value,
    string? Type,
    string? Action,
    string? Severity,
    string? Title,
    string? Description,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? CreatedAt,
    string? CreatedBy,
    bool? GenerateAlert);
