namespace DefenderMcp.Areas.Entities;

/// <summary>A device named by an alert: its id and name, to open with get_device.</summary>
public sealed record DeviceRefOutput(string Id, string? Name);
