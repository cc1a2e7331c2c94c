namespace DefenderMcp.Areas.Devices;

/// <summary>
/// One device, its isolation and app-restriction state (<see cref="DeviceResponseState"/>), and the alerts on it (most
/// recent first, at most <see cref="GetDeviceTool.MaxAlerts"/>).
/// </summary>
public sealed record DeviceDetailOutput(string Tenant, DeviceOutput Device, string Isolation, string AppRestriction, IReadOnlyList<DeviceAlertOutput> Alerts, bool AlertsTruncated);
