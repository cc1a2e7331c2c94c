namespace DefenderMcp.Areas.MachineActions;

/// <summary>A package download link.</summary>
public sealed record PackageUriOutput(string Tenant, string ActionId, string Uri);
