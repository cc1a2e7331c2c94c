using System.Text.Json;

namespace DefenderMcp.Client;

/// <summary>A custom detection rule (Graph beta): the fields a caller acts on, and the whole rule as received.</summary>
/// <param name="Id">Rule id.</param>
/// <param name="DisplayName">Name.</param>
/// <param name="Status">enabled, disabled or autoDisabled (a classic rule's <c>isEnabled</c> read as enabled or disabled).</param>
/// <param name="QueryText">Its KQL.</param>
/// <param name="Frequency">How often it runs, ISO 8601 (a classic rule's <c>period</c> read as the same duration).</param>
/// <param name="Severity">Severity of the alerts it raises.</param>
/// <param name="Raw">The rule object as received (its schema is large and changes, so it is kept whole).</param>
public sealed record DetectionRule(string Id, string? DisplayName, string? Status, string? QueryText, string? Frequency, string? Severity, JsonElement Raw);
