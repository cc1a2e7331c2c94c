using DefenderMcp.Areas.Devices;

namespace DefenderMcp.Areas.Entities;

/// <summary>A file, how widely the tenant has it, the devices that have it and the alerts that name it.</summary>
public sealed record FileInfoOutput(string Tenant, FileOutput File, EntityStatsOutput Organization, IReadOnlyList<DeviceOutput> Devices, IReadOnlyList<EntityAlertOutput> Alerts, bool Truncated);
