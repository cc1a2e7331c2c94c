namespace DefenderMcp.Areas.Alerts;

/// <summary>A page of alerts, newest first.</summary>
public sealed record AlertListOutput(string Tenant, int Count, int Limit, IReadOnlyList<AlertSummaryOutput> Alerts);
