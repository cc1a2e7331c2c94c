namespace DefenderMcp.Areas.Devices;

/// <summary>One device.</summary>
public sealed record DeviceDetailOutput(string Tenant, DeviceOutput Device);
