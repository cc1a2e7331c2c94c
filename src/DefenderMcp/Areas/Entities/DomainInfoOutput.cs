using DefenderMcp.Areas.Devices;

namespace DefenderMcp.Areas.Entities;

/// <summary>A domain: how many devices reached it, those devices and the alerts that name it.</summary>
public sealed record DomainInfoOutput(string Tenant, string Domain, EntityStatsOutput Organization, IReadOnlyList<DeviceOutput> Devices, IReadOnlyList<EntityAlertOutput> Alerts, bool Truncated);
