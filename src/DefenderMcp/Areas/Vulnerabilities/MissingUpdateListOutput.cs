namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>The security updates one device misses.</summary>
public sealed record MissingUpdateListOutput(string Tenant, string DeviceId, string? DeviceName, int Count, IReadOnlyList<MissingUpdateOutput> Updates, bool Truncated);
