namespace DefenderMcp.Client;

/// <summary>A documented call quota: calls per minute, and optionally per hour.</summary>
/// <param name="PerMinute">Calls allowed in any 60 seconds.</param>
/// <param name="PerHour">Calls allowed in any hour, if documented.</param>
public sealed record RateQuota(int PerMinute, int? PerHour = null);
