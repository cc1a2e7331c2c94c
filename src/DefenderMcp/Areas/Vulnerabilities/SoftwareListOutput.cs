namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>The software of the tenant or of one device; <paramref name="EndOfSupportUnavailable"/> says why no product has an end of support, when none could be read.</summary>
public sealed record SoftwareListOutput(string Tenant, string? DeviceId, string? DeviceName, int Count, IReadOnlyList<SoftwareOutput> Software, bool Truncated, string? EndOfSupportUnavailable);
