namespace DefenderMcp.Areas.Devices;

/// <summary>One device and the alerts on it (most recent first, at most <see cref="GetDeviceTool.MaxAlerts"/>).</summary>
public sealed record DeviceDetailOutput(string Tenant, DeviceOutput Device, IReadOnlyList<DeviceAlertOutput> Alerts, bool AlertsTruncated);
