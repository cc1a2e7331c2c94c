namespace DefenderMcp.Areas.Entities;

/// <summary>An IP address: how many devices connected to it, the alerts that name it and the devices those alerts are on.</summary>
public sealed record IpInfoOutput(string Tenant, string Ip, EntityStatsOutput Organization, IReadOnlyList<DeviceRefOutput> Devices, IReadOnlyList<EntityAlertOutput> Alerts, bool Truncated);
