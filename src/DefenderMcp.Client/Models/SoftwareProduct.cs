namespace DefenderMcp.Client;

/// <summary>A product of the software inventory (<c>/api/Software</c>): its weaknesses and how many devices they expose.</summary>
public sealed record SoftwareProduct(
    string Id,
    string? Name,
    string? Vendor,
    long? Weaknesses,
    bool? PublicExploit,
    bool? ActiveAlert,
    long? ExposedMachines,
    double? ImpactScore);
