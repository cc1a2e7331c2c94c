namespace DefenderMcp.Areas.Entities;

/// <summary>The accounts that logged on to one device.</summary>
public sealed record DeviceLogonUsersOutput(string Tenant, string DeviceId, string? DeviceName, int Count, IReadOnlyList<LogonUserOutput> Users, bool Truncated);
