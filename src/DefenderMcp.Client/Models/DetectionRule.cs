using System.Text.Json;

namespace DefenderMcp.Client;

/// <summary>A custom detection rule (Graph beta): the fields a caller acts on, and the whole rule as received.</summary>
/// <param name="Id">Rule id.</param>
/// <param name="DisplayName">Name.</param>
/// <param name="IsEnabled">Whether it runs.</param>
/// <param name="QueryText">Its KQL.</param>
/// <param name="Period">How often it runs (0, 1H, 3H, 12H, 24H).</param>
/// <param name="Severity">Severity of the alerts it raises.</param>
/// <param name="Raw">The rule object as received (its schema is large and changes, so it is kept whole).</param>
public sealed record DetectionRule(string Id, string? DisplayName, bool? IsEnabled, string? QueryText, string? Period, string? Severity, JsonElement Raw);
