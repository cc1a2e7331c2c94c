namespace DefenderMcp.Tools.Response;

/// <summary>One device.</summary>
public sealed record DeviceDetailOutput(string Tenant, DeviceOutput Device);
