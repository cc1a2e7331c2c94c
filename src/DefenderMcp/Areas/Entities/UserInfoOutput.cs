using DefenderMcp.Areas.Devices;

namespace DefenderMcp.Areas.Entities;

/// <summary>A user account: the devices it logged on to and the alerts that name it.</summary>
public sealed record UserInfoOutput(string Tenant, string AccountName, IReadOnlyList<DeviceOutput> Devices, IReadOnlyList<EntityAlertOutput> Alerts, bool Truncated);
