namespace DefenderMcp.Areas.Devices;

/// <summary>Devices matching structured filters.</summary>
public sealed record DeviceListOutput(string Tenant, int Count, IReadOnlyList<DeviceOutput> Devices);
