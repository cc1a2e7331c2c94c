namespace DefenderMcp.Areas.Vulnerabilities;

/// <summary>The exposure score of one device group.</summary>
public sealed record GroupScoreOutput(string? DeviceGroup, double? Score);
