namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>The software of the tenant or of one device.</summary>
public sealed record SoftwareListOutput(string Tenant, string? DeviceId, string? DeviceName, int Count, IReadOnlyList<SoftwareOutput> Software, bool Truncated);
