using System.Text.Json;

namespace DefenderMcp.Client;

/// <summary>A custom indicator as stored by Defender for Endpoint.</summary>
/// <param name="Id">Indicator id, e.g. "995".</param>
/// <param name="IndicatorValue">The value.</param>
/// <param name="IndicatorType">Its type.</param>
/// <param name="Action">What Defender does on a match.</param>
/// <param name="Title">Title.</param>
/// <param name="Description">Description.</param>
/// <param name="Severity">Severity.</param>
/// <param name="ExpirationTime">Expiry.</param>
/// <param name="CreationTime">When it was created.</param>
/// <param name="CreatedBy">Creator.</param>
/// <param name="GenerateAlert">Whether a match raises an alert.</param>
/// <param name="Raw">The indicator object as received.</param>
public sealed record Indicator(
    string Id,
    string? IndicatorValue,
    string? IndicatorType,
    string? Action,
    string? Title,
    string? Description,
    string? Severity,
    DateTimeOffset? ExpirationTime,
    DateTimeOffset? CreationTime,
    string? CreatedBy,
    bool? GenerateAlert,
    JsonElement Raw);
