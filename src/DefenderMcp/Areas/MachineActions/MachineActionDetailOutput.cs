namespace DefenderMcp.Areas.MachineActions;

/// <summary>One machine action, after an optional wait.</summary>
public sealed record MachineActionDetailOutput(string Tenant, MachineActionOutput Action, bool Final, double WaitedSeconds);
